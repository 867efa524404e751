"""From the long list of configurations to a preferred option, with `stpkit.appraisal`.

The long list is every subset of the candidate sites within a size range, plus any options
a person named (a criteria file's `options`). Each becomes an `Option` whose metrics are the
configuration's figures; hurdles reject with reasons; the short list is scored on
swing-weighted criteria; the sensitivity of the preferred option to the weights is tested.
"Today" (business as usual) is kept on the short list as the comparator, as the Green Book
asks, without passing through the hurdles.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from stpkit.appraisal import (
    AppraisalError,
    CriteriaFileError,
    CriteriaSpec,
    Criterion,
    Evaluation,
    Funnel,
    MetricBound,
    MonteCarlo,
    NamedOption,
    Option,
    PairSwitch,
    Rule,
    SweepPoint,
    SwitchingValue,
    apply_hurdles,
    evaluate,
    monte_carlo,
    one_at_a_time,
    pairwise_switching,
    read_criteria_file,
    switching_values,
)
from stpkit.stroke.business_case import BUSINESS_CASE_METRICS, BusinessCase, BusinessCaseModel
from stpkit.stroke.errors import StrokeError, UnknownSiteError
from stpkit.stroke.model import METRIC_DESCRIPTIONS, ConfigResult, Configuration, StrokeModel
from stpkit.stroke.pathway import Cohort, Pathway
from stpkit.stroke.roles import SiteRoles, hasu_and_asu_only, mt_without_hasu, roles_where

NO_ROLES = SiteRoles()

DEFAULT_HURDLES: tuple[Rule, ...] = (
    MetricBound("min_unit_volume", minimum=500, name="every HASU has >= 500 admissions"),
    MetricBound("max_unit_volume", maximum=1500, name="no HASU has > 1,500 admissions"),
    MetricBound("share_within_60", minimum=0.95, name="95% of patients within 60 minutes"),
)
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("Clinical outcome", "added_good_outcomes", 35, "higher"),
    Criterion("Mean travel time", "mean_minutes", 25, "lower"),
    Criterion("Within 30 minutes", "share_within_30", 20, "higher"),
    Criterion("Longest journeys", "p95_minutes", 10, "lower"),
    Criterion("Smallest unit", "min_unit_volume", 10, "higher"),
)
TODAY = "Today"


def option_name(model: StrokeModel, hasus: Sequence[int]) -> str:
    return "+".join(model.geo.candidates[i].short_code for i in sorted(hasus))


def to_option(
    model: StrokeModel,
    result: ConfigResult,
    origin: str,
    scores: dict[str, float] | None = None,
) -> Option:
    """The configuration as an appraisal option: the model's figures, with any panel
    scores of judged criteria (`scores`) beside them."""
    sites = tuple(model.geo.candidates[i].name for i in result.config.hasus)
    metrics = {**result.metrics, **(scores or {})}
    return Option(result.config.name, metrics, sites, origin, extra={"result": result})


def _check_scores(spec: CriteriaSpec | None, names: set[str]) -> dict[str, dict[str, float]]:
    """Panel scores by option name, each naming an option on the long list (or today)."""
    if spec is None:
        return {}
    for name in spec.scores:
        if name not in names:
            raise CriteriaFileError(
                spec.path,
                spec.score_lines.get(name),
                f"scores are given for {name!r}, which is not an option: use a long-list "
                f"name such as {sorted(names)[0]!r}, a named option or {TODAY!r}",
            )
    return spec.scores


def _check_judged(options: Sequence[Option], judged: set[str], what: str) -> None:
    """Every option that meets a judged criterion or hurdle must have its panel score."""
    for key in sorted(judged):
        missing = [o.name for o in options if key not in o.metrics]
        if missing:
            shown = ", ".join(missing[:8]) + (
                f" and {len(missing) - 8} more" if len(missing) > 8 else ""
            )
            raise StrokeError(
                f"The judged {what} {key!r} has no panel score for {shown}: give each a score "
                "(an option's 'scores' or the 'scores' section)"
            )


def long_list(
    model: StrokeModel,
    sizes: range,
    named: Sequence[Configuration] = (),
    roles: SiteRoles = NO_ROLES,
) -> list[ConfigResult]:
    """Every subset of the candidates with a size in `sizes`, then the named options.
    The sites `roles` names apply to every generated subset (`SiteRoles.where`)."""
    if not sizes or sizes.start < 1 or sizes.stop - 1 > model.geo.k:
        raise StrokeError(
            f"HASU counts {sizes.start}-{sizes.stop - 1} are impossible: {model.geo.region} has "
            f"{model.geo.k} candidate sites, so counts must lie in 1-{model.geo.k}"
        )
    # the subsets are generated as the model's site indices: the named roles follow suit
    mt = sorted({model.geo.site_index(s) for s in roles.mt})
    asu_only = sorted({model.geo.site_index(s) for s in roles.asu_only})
    out = []
    for size in sizes:
        for combo in itertools.combinations(range(model.geo.k), size):
            mt_here, asu_here = roles_where(combo, mt, asu_only)
            out.append(
                model.evaluate(Configuration(option_name(model, combo), combo, mt_here, asu_here))
            )
    out += [model.evaluate(c) for c in named]
    return out


@dataclass
class Appraisal:
    model: StrokeModel
    results: list[ConfigResult]
    funnel: Funnel
    evaluation: Evaluation
    sweep: list[SweepPoint]
    monte_carlo: MonteCarlo
    switching: list[SwitchingValue]
    hurdles: tuple[Rule, ...]
    criteria: tuple[Criterion, ...]
    named: list[str] = field(default_factory=list)
    pairs: list[PairSwitch] = field(default_factory=list)  # every pair's switching values
    cases: dict[str, BusinessCase] = field(default_factory=dict)  # beds, staff, cost, equality

    @property
    def preferred(self) -> ConfigResult:
        result = self.evaluation.preferred.extra["result"]
        assert isinstance(result, ConfigResult)
        return result

    def result(self, name: str) -> ConfigResult:
        for r in [*self.results, self.model.today]:
            if r.config.name == name:
                return r
        raise StrokeError(f"No option named {name!r}")


def read_stroke_criteria(path: Path | str, model: StrokeModel) -> CriteriaSpec:
    """A criteria file checked against the stroke metrics and the region's sites; its
    optional `pathway` and `cohort` sections are checked too (see `assumptions`)."""

    def resolve(name: str) -> str:
        try:
            return model.geo.candidates[model.geo.site_index(name)].name
        except UnknownSiteError as exc:
            raise AppraisalError(str(exc)) from None

    spec = read_criteria_file(
        path,
        known_metrics={**METRIC_DESCRIPTIONS, **BUSINESS_CASE_METRICS},
        resolve_member=resolve,
        option_roles=ROLES,
    )
    for o in spec.options:
        not_hasu = mt_without_hasu(o.members, o.roles.get("mt", ()))
        if not_hasu:
            raise CriteriaFileError(
                spec.path,
                o.line,
                f"option {o.name!r}: thrombectomy (mt) site(s) {', '.join(not_hasu)} must also "
                f"be among its sites ({', '.join(o.members)})",
            )
        both = hasu_and_asu_only(o.members, o.roles.get("asu", ()))
        if both:
            raise CriteriaFileError(
                spec.path,
                o.line,
                f"option {o.name!r}: {', '.join(both)} cannot be both a HASU site and "
                "ASU-only (asu)",
            )
    assumptions(spec)
    return spec


ROLES = ("mt", "asu")  # further site lists a named option may give


def named_configuration(
    model: StrokeModel, option: NamedOption, roles: SiteRoles = NO_ROLES
) -> Configuration:
    """A named option as a configuration: its own `mt:` and `asu:` lists where it gives
    them, else the sites named for every option (`SiteRoles.where`). Sites stay names
    (as the criteria file resolved them) until the model builds the configuration."""
    mt_default, asu_default = roles.where(option.members)
    own_mt = option.roles.get("mt")
    own_asu = option.roles.get("asu")
    return model.configuration(
        option.name,
        option.members,
        own_mt if own_mt is not None else mt_default,
        own_asu if own_asu is not None else asu_default,
    )


SETTINGS = {"pathway": Pathway, "cohort": Cohort}


def _line_of(path: str, key: str) -> int | None:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    pattern = re.compile(rf"^\s*\[*\s*{re.escape(key)}\s*[\]:=.]")
    return next((i + 1 for i, text in enumerate(lines) if pattern.match(text)), None)


def assumptions(spec: CriteriaSpec) -> tuple[Pathway | None, Cohort | None]:
    """The pathway timings and cohort shares a criteria file sets (None where it sets none).
    Any other top-level key is an error naming its line and the valid sections."""
    found: dict[str, Any] = {}
    for key, value in spec.settings.items():
        line = _line_of(spec.path, key)
        kind = SETTINGS.get(key)
        if kind is None:
            raise CriteriaFileError(
                spec.path,
                line,
                f"unknown section {key!r}; valid: hurdles, criteria, options, "
                + ", ".join(SETTINGS),
            )
        if not isinstance(value, dict):
            raise CriteriaFileError(
                spec.path, line, f"{key!r} must be a mapping of names to numbers"
            )
        valid = [f.name for f in fields(kind)]
        unknown = sorted(set(value) - set(valid))
        if unknown:
            raise CriteriaFileError(
                spec.path,
                line,
                f"{key} has unknown field(s) {', '.join(unknown)}; valid: {', '.join(valid)}",
            )
        try:
            found[key] = kind(**{k: float(v) for k, v in value.items()})
        except (TypeError, ValueError) as exc:
            raise CriteriaFileError(
                spec.path, line, f"{key}: values must be numbers ({exc})"
            ) from None
        except StrokeError as exc:
            raise CriteriaFileError(spec.path, line, str(exc)) from None
    return found.get("pathway"), found.get("cohort")


def appraise(
    model: StrokeModel,
    sizes: range,
    spec: CriteriaSpec | None = None,
    draws: int = 2000,
    seed: int = 0,
    roles: SiteRoles = NO_ROLES,
    business: BusinessCaseModel | None = None,
) -> Appraisal:
    """The sites `roles` names apply to every option that does not give its own (see
    `SiteRoles.where` and `named_configuration`). Every option carries its business-case
    figures (beds, staff, cost, equality; `business`, default assumptions if None) as
    metrics beside the model's."""
    hurdles = spec.hurdles if spec and spec.hurdles else DEFAULT_HURDLES
    criteria = spec.criteria if spec and spec.criteria else DEFAULT_CRITERIA
    named = [named_configuration(model, o, roles) for o in (spec.options if spec else ())]
    taken = {option_name(model, c.hasus) for c in named}
    clash = [c.name for c in named if c.name in taken and c.name != option_name(model, c.hasus)]
    if clash:
        raise StrokeError(f"Named options clash with generated names: {', '.join(clash)}")
    results = long_list(model, sizes, named, roles)
    names = {r.config.name for r in results[: len(results) - len(named)]}
    scores = _check_scores(spec, {r.config.name for r in results} | {TODAY})
    business = business or BusinessCaseModel(model)
    cases = {r.config.name: business.case(r) for r in [*results, model.today]}
    options = [
        to_option(
            model,
            r,
            "explicit" if i >= len(results) - len(named) else "long list",
            {**cases[r.config.name].metrics(), **scores.get(r.config.name, {})},
        )
        for i, r in enumerate(results)
    ]
    options = [o for o in options if not (o.origin == "explicit" and o.name in names)]
    judged = set(spec.judged) if spec else set()
    _check_judged(options, judged & {m for h in hurdles for m in _metrics_of(h)}, "hurdle")
    funnel = apply_hurdles(options, hurdles)
    today = to_option(
        model, model.today, "business as usual", {**cases[TODAY].metrics(), **scores.get(TODAY, {})}
    )
    short = [*funnel.passed, today]
    _check_judged(short, judged & {c.metric for c in criteria}, "criterion")
    ev = evaluate(short, criteria)
    return Appraisal(
        model,
        results,
        funnel,
        ev,
        one_at_a_time(ev),
        monte_carlo(ev, draws=draws, seed=seed),
        switching_values(ev),
        tuple(hurdles),
        tuple(criteria),
        [c.name for c in named],
        pairwise_switching(ev),
        cases,
    )


def _metrics_of(rule: Rule) -> set[str]:
    """The metrics a hurdle reads (a bound's metric, an expression's names)."""
    if isinstance(rule, MetricBound):
        return {rule.metric}
    parsed = getattr(rule, "parsed", None)
    return set(parsed.names) if parsed is not None else set()
