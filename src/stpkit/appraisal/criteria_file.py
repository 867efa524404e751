"""Read hurdle rules, evaluation criteria and named options from a YAML or TOML file.

The format is documented in docs/stroke.md. Every error names the file and the line of the
offending entry (YAML from the parser's marks; TOML from the n-th `[[section]]` header) and
says why: an unknown metric lists the known ones, an unknown member the valid ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stpkit.appraisal.criteria import Criterion
from stpkit.appraisal.errors import AppraisalError, CriteriaFileError
from stpkit.appraisal.hurdles import ExpressionRule, MetricBound, MustExclude, MustInclude, Rule

SECTIONS = ("hurdles", "criteria", "options")
SCORES = "scores"  # panel scores of judged criteria, by option name


@dataclass(frozen=True)
class NamedOption:
    """An option a person named (e.g. from a clinical workshop), with its members.

    `roles` holds further member lists the caller asked for (`option_roles`), e.g. which
    stroke sites also provide thrombectomy; `line` is where the option starts in the file.
    """

    name: str
    members: tuple[str, ...]
    notes: str = ""
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    line: int | None = None
    scores: dict[str, float] = field(default_factory=dict)  # judged criterion -> panel score


@dataclass(frozen=True)
class CriteriaSpec:
    path: str
    hurdles: tuple[Rule, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    options: tuple[NamedOption, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    # panel scores by option name (named options' own `scores` and the `scores` section)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    score_lines: dict[str, int | None] = field(default_factory=dict)

    @property
    def judged(self) -> frozenset[str]:
        """The judged criteria: every name a panel score is given for."""
        return frozenset(k for given in self.scores.values() for k in given)


@dataclass
class _Entry:
    data: dict[str, Any]
    line: int | None


def _plain(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node))


def _yaml_entries(text: str, path: str) -> tuple[dict[str, list[_Entry]], dict[str, Any]]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CriteriaFileError(path, line, f"not valid YAML: {exc}") from None
    if root is None:
        raise CriteriaFileError(path, None, "the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise CriteriaFileError(path, root.start_mark.line + 1, "the top level must be a mapping")
    out: dict[str, list[_Entry]] = {s: [] for s in (*SECTIONS, SCORES)}
    settings: dict[str, Any] = {}
    for key_node, value_node in root.value:
        key = key_node.value
        if key in SECTIONS:
            if not isinstance(value_node, yaml.SequenceNode):
                raise CriteriaFileError(
                    path, value_node.start_mark.line + 1, f"{key!r} must be a list of entries"
                )
            for item in value_node.value:
                line = item.start_mark.line + 1
                data = _plain(item)
                if not isinstance(data, dict):
                    raise CriteriaFileError(path, line, f"each {key} entry must be a mapping")
                out[key].append(_Entry(data, line))
        elif key == SCORES:
            if not isinstance(value_node, yaml.MappingNode):
                raise CriteriaFileError(
                    path,
                    value_node.start_mark.line + 1,
                    "'scores' must map option names to their scores, e.g. "
                    "'DA+MD+WH: {workforce: 7}'",
                )
            for name_node, given in value_node.value:
                out[SCORES].append(
                    _Entry(
                        {"name": name_node.value, "scores": _plain(given)},
                        name_node.start_mark.line + 1,
                    )
                )
        else:
            settings[key] = _plain(value_node)
    return out, settings


def _toml_entries(text: str, path: str) -> tuple[dict[str, list[_Entry]], dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise CriteriaFileError(
            path, int(m.group(1)) if m else None, f"not valid TOML: {exc}"
        ) from None
    lines = text.splitlines()
    out: dict[str, list[_Entry]] = {s: [] for s in (*SECTIONS, SCORES)}
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key == SCORES:
            if not isinstance(value, dict):
                raise CriteriaFileError(
                    path, None, "'scores' must be a table of option names to their scores"
                )
            for name, given in value.items():
                line = next(
                    (
                        i + 1
                        for i, ln in enumerate(lines)
                        if ln.strip().startswith("[scores.") and name in ln
                    ),
                    None,
                )
                out[SCORES].append(_Entry({"name": name, "scores": given}, line))
            continue
        if key not in SECTIONS:
            settings[key] = value
            continue
        if not isinstance(value, list):
            raise CriteriaFileError(path, None, f"{key!r} must be an array of tables [[{key}]]")
        headers = [i + 1 for i, ln in enumerate(lines) if ln.strip() == f"[[{key}]]"]
        for n, item in enumerate(value):
            line = headers[n] if n < len(headers) else None
            if not isinstance(item, dict):
                raise CriteriaFileError(path, line, f"each {key} entry must be a table")
            out[key].append(_Entry(item, line))
    return out, settings


def _num(entry: _Entry, key: str, path: str) -> float | None:
    v = entry.data.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise CriteriaFileError(path, entry.line, f"{key!r} must be a number, not {v!r}")
    return float(v)


def _members(entry: _Entry, key: str, path: str) -> tuple[str, ...]:
    v = entry.data.get(key)
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
        raise CriteriaFileError(path, entry.line, f"{key!r} must be a non-empty list of names")
    return tuple(v)


def _check_metric(metric: Any, known: set[str] | None, entry: _Entry, path: str) -> str:
    if not isinstance(metric, str):
        raise CriteriaFileError(path, entry.line, f"'metric' must be a name, not {metric!r}")
    if known is not None and metric not in known:
        raise CriteriaFileError(
            path,
            entry.line,
            f"unknown metric {metric!r}; known metrics: {', '.join(sorted(known))} "
            "(a judged criterion needs panel scores: an option's 'scores' or the 'scores' "
            "section)",
        )
    return metric


def _allowed_keys(entry: _Entry, allowed: Iterable[str], what: str, path: str) -> None:
    extra = sorted(set(entry.data) - set(allowed))
    if extra:
        raise CriteriaFileError(
            path,
            entry.line,
            f"{what} has unknown field(s) {', '.join(extra)}; "
            f"allowed: {', '.join(sorted(allowed))}",
        )


def _hurdle(e: _Entry, path: str, known: set[str] | None, resolve: Callable[[str], str]) -> Rule:
    name = str(e.data.get("name", ""))
    try:
        if "metric" in e.data:
            _allowed_keys(e, {"metric", "min", "max", "name"}, "a metric hurdle", path)
            metric = _check_metric(e.data["metric"], known, e, path)
            lo, hi = _num(e, "min", path), _num(e, "max", path)
            return MetricBound(metric, lo, hi, name)
        if "include" in e.data:
            _allowed_keys(e, {"include", "name"}, "an include hurdle", path)
            return MustInclude(tuple(resolve(m) for m in _members(e, "include", path)), name)
        if "exclude" in e.data:
            _allowed_keys(e, {"exclude", "name"}, "an exclude hurdle", path)
            return MustExclude(tuple(resolve(m) for m in _members(e, "exclude", path)), name)
        if "expression" in e.data:
            _allowed_keys(e, {"expression", "name"}, "an expression hurdle", path)
            rule = ExpressionRule(str(e.data["expression"]), name)
            if known is not None:
                unknown = sorted(rule.parsed.names - known)
                if unknown:
                    raise CriteriaFileError(
                        path,
                        e.line,
                        f"expression names unknown metric(s) {', '.join(unknown)}; "
                        f"known metrics: {', '.join(sorted(known))}",
                    )
            return rule
    except CriteriaFileError:
        raise
    except AppraisalError as exc:  # includes unknown members from `resolve`
        raise CriteriaFileError(path, e.line, str(exc)) from None
    raise CriteriaFileError(
        path,
        e.line,
        "a hurdle needs one of 'metric' (with min and/or max), 'include', 'exclude' or "
        f"'expression'; got fields {', '.join(sorted(e.data)) or 'none'}",
    )


def _criterion(e: _Entry, path: str, known: set[str] | None) -> Criterion:
    allowed = {"name", "metric", "weight", "direction", "worst", "best", "points", "description"}
    _allowed_keys(e, allowed, "a criterion", path)
    for req in ("metric", "weight"):
        if req not in e.data:
            raise CriteriaFileError(path, e.line, f"a criterion needs {req!r}")
    metric = _check_metric(e.data["metric"], known, e, path)
    weight = _num(e, "weight", path)
    assert weight is not None
    raw_points = e.data.get("points", [])
    try:
        points = tuple((float(p[0]), float(p[1])) for p in raw_points)
    except (TypeError, ValueError, IndexError, KeyError):
        raise CriteriaFileError(
            path, e.line, f"'points' must be a list of [value, score] pairs, not {raw_points!r}"
        ) from None
    try:
        return Criterion(
            name=str(e.data.get("name", metric)),
            metric=metric,
            weight=weight,
            direction=e.data.get("direction", "higher"),
            worst=_num(e, "worst", path),
            best=_num(e, "best", path),
            points=points,
            description=str(e.data.get("description", "")),
        )
    except AppraisalError as exc:
        raise CriteriaFileError(path, e.line, str(exc)) from None


def _option(
    e: _Entry, path: str, resolve: Callable[[str], str], roles: tuple[str, ...] = ()
) -> NamedOption:
    _allowed_keys(e, {"name", "sites", "members", "notes", "scores", *roles}, "an option", path)
    if "name" not in e.data:
        raise CriteriaFileError(path, e.line, "an option needs a 'name'")
    key = "sites" if "sites" in e.data else "members"
    try:
        members = tuple(resolve(m) for m in _members(e, key, path))
        found = {
            role: tuple(resolve(m) for m in _members(e, role, path))
            for role in roles
            if role in e.data
        }
    except CriteriaFileError:
        raise
    except AppraisalError as exc:
        raise CriteriaFileError(path, e.line, str(exc)) from None
    return NamedOption(
        str(e.data["name"]),
        members,
        str(e.data.get("notes", "")),
        found,
        e.line,
        _scores(e, path) if "scores" in e.data else {},
    )


def _scores(e: _Entry, path: str) -> dict[str, float]:
    """An option's panel scores: judged criterion name -> number."""
    given = e.data.get("scores")
    if not isinstance(given, dict) or not given:
        raise CriteriaFileError(
            path,
            e.line,
            f"scores of {e.data.get('name')!r} must map judged criteria to numbers, "
            "e.g. {workforce: 7, deliverability: 6}",
        )
    out = {}
    for key, value in given.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CriteriaFileError(
                path,
                e.line,
                f"score {key!r} of {e.data.get('name')!r} must be a number, not {value!r}",
            )
        out[str(key)] = float(value)
    return out


def read_criteria_text(
    text: str,
    path: str = "<criteria>",
    *,
    fmt: str | None = None,
    known_metrics: Iterable[str] | None = None,
    resolve_member: Callable[[str], str] | None = None,
    option_roles: Iterable[str] = (),
) -> CriteriaSpec:
    """Parse criteria text; `resolve_member` maps a written name to a canonical member
    (raising an `AppraisalError` that lists valid names when it cannot); each name in
    `option_roles` is an optional further member list an option may give (`NamedOption.roles`)."""
    fmt = fmt or ("toml" if path.endswith(".toml") else "yaml")
    entries, settings = (_toml_entries if fmt == "toml" else _yaml_entries)(text, path)
    computed = set(known_metrics) if known_metrics is not None else None
    resolve = resolve_member or (lambda s: s)
    roles = tuple(option_roles)
    options = tuple(_option(e, path, resolve, roles) for e in entries["options"])
    scores: dict[str, dict[str, float]] = {o.name: dict(o.scores) for o in options if o.scores}
    score_lines: dict[str, int | None] = {o.name: o.line for o in options if o.scores}
    for e in entries[SCORES]:
        name = str(e.data["name"])
        scores.setdefault(name, {}).update(_scores(e, path))
        score_lines.setdefault(name, e.line)
    judged = {k for given in scores.values() for k in given}
    if computed is not None:
        clash = sorted(judged & computed)
        if clash:
            name = next(n for n, given in scores.items() if clash[0] in given)
            raise CriteriaFileError(
                path,
                score_lines.get(name),
                f"{', '.join(clash)} is computed by the model: a panel score cannot replace "
                "it (give the judged criterion a name of its own)",
            )
    known = None if computed is None else computed | judged
    hurdles = tuple(_hurdle(e, path, known, resolve) for e in entries["hurdles"])
    criteria = tuple(_criterion(e, path, known) for e in entries["criteria"])
    names = [c.name for c in criteria]
    for c, e in zip(criteria, entries["criteria"], strict=True):
        if names.count(c.name) > 1:
            raise CriteriaFileError(path, e.line, f"criterion name {c.name!r} is used twice")
    return CriteriaSpec(path, hurdles, criteria, options, settings, scores, score_lines)


def read_criteria_file(
    path: Path | str,
    *,
    known_metrics: Iterable[str] | None = None,
    resolve_member: Callable[[str], str] | None = None,
    option_roles: Iterable[str] = (),
) -> CriteriaSpec:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise CriteriaFileError(str(p), None, f"cannot be read: {exc.strerror}") from None
    return read_criteria_text(
        text,
        str(p),
        fmt="toml" if p.suffix == ".toml" else "yaml",
        known_metrics=known_metrics,
        resolve_member=resolve_member,
        option_roles=option_roles,
    )
