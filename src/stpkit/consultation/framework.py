"""The analysts' theme framework: a name and a short description per theme, per question.

An analyst writes the framework in a spreadsheet or a JSON file (format in
docs/consultation.md) and the engine assigns responses to its themes
(`stpkit.consultation.multitheme`). Every bad row is reported with the file, the row (as a
spreadsheet shows it: the header is row 1; in JSON the theme's position from 1) and the field.

Columns (CSV/Excel) or keys (JSON):
    name         required: the theme as the report will name it
    description  recommended: one sentence saying what a response in this theme argues
    key          optional: a short stable code (default T1, T2, ... in file order)
    question     optional: the open question code; blank means every open question
    examples     optional: example phrases, separated by "|"
    position     optional: support, oppose or neutral (which side of the proposal the
                 theme argues); used as one signal for stance
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stpkit.consultation.errors import ConsultationError

FIELDS = ("question", "key", "name", "description", "examples", "position")
POSITIONS = {
    "": "",
    "neutral": "",
    "support": "support",
    "for": "support",
    "agree": "support",
    "agreement": "support",
    "oppose": "oppose",
    "against": "oppose",
    "disagree": "oppose",
    "disagreement": "oppose",
}
EXAMPLE_SEPARATOR = "|"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
MAX_NAME = 120
MAX_DESCRIPTION = 1000


class FrameworkError(ConsultationError):
    """A framework file that cannot be used, naming the file, row and field."""

    def __init__(
        self,
        message: str,
        file: str = "",
        row: int | None = None,
        field: str = "",
        problems: Sequence[FrameworkError] = (),
    ):
        self.file, self.row, self.field, self.reason = file, row, field, message
        self.problems: list[FrameworkError] = list(problems) or [self]
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class FrameworkTheme:
    key: str
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()
    position: str = ""  # "support", "oppose" or "" (neutral / not said)
    question: str = ""  # "" = every open question

    @property
    def text(self) -> str:
        """What the theme is matched by: its name and description."""
        return ". ".join(p for p in (self.name, self.description) if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "examples": list(self.examples),
            "position": self.position,
            "question": self.question,
        }


@dataclass
class Framework:
    themes: list[FrameworkTheme] = field(default_factory=list)

    def for_question(self, code: str | None = None) -> list[FrameworkTheme]:
        """The themes of one open question (those with no question apply to every one)."""
        return [t for t in self.themes if not t.question or code is None or t.question == code]

    def to_dict(self) -> dict[str, Any]:
        return {"themes": [t.to_dict() for t in self.themes]}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from an empty Excel cell
        return ""
    return str(value).strip()


def framework_from_rows(
    rows: Iterable[Mapping[str, Any]], file: str = "", first_row: int = 2
) -> Framework:
    """Validate rows of fields into a framework.

    Every row is checked; if any is bad, FrameworkError names the first (file, row, field)
    and its `problems` lists every bad row, so an analyst can fix the file in one go.
    """
    themes: list[FrameworkTheme] = []
    problems: list[FrameworkError] = []
    seen_keys: set[tuple[str, str]] = set()
    seen_names: set[tuple[str, str]] = set()
    for number, raw in enumerate(rows, start=first_row):
        try:
            theme = _theme_of(raw, file, number, len(themes) + len(problems) + 1)
        except FrameworkError as exc:
            problems.append(exc)
            continue
        if theme is None:
            continue  # a blank spreadsheet line
        if (theme.question, theme.key) in seen_keys:
            problems.append(
                FrameworkError(f"the key {theme.key!r} is used twice", file, number, "key")
            )
            continue
        if (theme.question, theme.name.lower()) in seen_names:
            problems.append(
                FrameworkError(f"the name {theme.name!r} is used twice", file, number, "name")
            )
            continue
        seen_keys.add((theme.question, theme.key))
        seen_names.add((theme.question, theme.name.lower()))
        themes.append(theme)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise FrameworkError(
            f"{first.reason}{more}", first.file, first.row, first.field, problems=problems
        )
    if not themes:
        raise FrameworkError("the framework has no themes", file)
    return Framework(themes)


def _theme_of(raw: Any, file: str, number: int, position: int) -> FrameworkTheme | None:
    """One row as a theme (None for a blank line); FrameworkError names what is wrong."""
    if not isinstance(raw, Mapping):
        raise FrameworkError("each theme must be an object with a name", file, number)
    row = {str(k).strip().lower(): _cell(v) for k, v in raw.items() if k is not None}
    unknown = sorted(k for k in row if k and k not in FIELDS)
    if unknown:
        raise FrameworkError(
            f"unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}",
            file,
            number,
            unknown[0],
        )
    if not any(row.values()):
        return None
    name = row.get("name", "")
    if not name:
        raise FrameworkError("every theme needs a name", file, number, "name")
    if len(name) > MAX_NAME:
        raise FrameworkError(f"a name is at most {MAX_NAME} characters", file, number, "name")
    description = row.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise FrameworkError(
            f"a description is at most {MAX_DESCRIPTION} characters",
            file,
            number,
            "description",
        )
    key = row.get("key", "") or f"T{position}"
    if not KEY_PATTERN.match(key):
        raise FrameworkError(
            "a key is up to 40 letters, digits, '_', '-' or '.'", file, number, "key"
        )
    position_text = row.get("position", "").lower()
    if position_text not in POSITIONS:
        raise FrameworkError(
            f"position must be support, oppose or neutral, not {row['position']!r}",
            file,
            number,
            "position",
        )
    examples = tuple(
        e.strip() for e in row.get("examples", "").split(EXAMPLE_SEPARATOR) if e.strip()
    )
    return FrameworkTheme(
        key, name, description, examples, POSITIONS[position_text], row.get("question", "")
    )


def load_framework(source: Path | bytes | str, filename: str | None = None) -> Framework:
    """Read a framework from CSV, Excel (.xlsx) or JSON, chosen by the file name's suffix."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FrameworkError(f"cannot be read ({exc.strerror})", filename) from exc
    else:
        data = source
    name = filename or "framework"
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return _from_json(data, name)
    if suffix in (".csv", ".txt"):
        import csv

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FrameworkError("is not UTF-8 text", name) from exc
        reader = csv.DictReader(io.StringIO(text))
        _check_header(reader.fieldnames or [], name)
        return framework_from_rows(reader, name)
    if suffix in (".xlsx", ".xlsm"):
        import pandas as pd

        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise FrameworkError(f"is not a readable Excel workbook ({exc})", name) from exc
        _check_header([str(c) for c in frame.columns], name)
        records: list[Mapping[str, Any]] = [
            {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
        ]
        return framework_from_rows(records, name)
    raise FrameworkError("must be a .csv, .xlsx or .json file", name)


def _check_header(columns: Sequence[str], file: str) -> None:
    lowered = [c.strip().lower() for c in columns if c]
    if "name" not in lowered:
        raise FrameworkError(
            f"has no 'name' column (columns found: {', '.join(columns) or 'none'})", file, 1, "name"
        )


def _from_json(data: bytes, file: str) -> Framework:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FrameworkError(f"is not valid JSON ({exc})", file) from exc
    if isinstance(loaded, Mapping):
        if "themes" not in loaded:
            raise FrameworkError('a JSON framework is a list of themes or {"themes": [...]}', file)
        loaded = loaded["themes"]
    if not isinstance(loaded, list):
        raise FrameworkError("'themes' must be a list", file, None, "themes")
    rows: list[Mapping[str, Any]] = []
    for _i, item in enumerate(loaded, start=1):
        if isinstance(item, Mapping) and isinstance(item.get("examples"), list):
            item = {**item, "examples": EXAMPLE_SEPARATOR.join(str(e) for e in item["examples"])}
        rows.append(item)
    return framework_from_rows(rows, file, first_row=1)
