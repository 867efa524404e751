"""Save milestones or risks from the Excel template: all rows or none.

Rows are matched to existing items by workstream and title, so re-importing an updated
sheet updates those items (each change audited) rather than duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from stpkit.programme.importing import (
    MILESTONES,
    RISKS,
    ParsedRow,
    RowError,
    Template,
    parse_workbook,
)
from stpkit.web.core.audit import audited_save
from stpkit.web.programme.models import Milestone, Risk, Workstream
from stpkit.web.programme.permissions import can_edit_workstream
from stpkit.web.programme.services import save_risk


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _workstream_lookup() -> dict[str, Workstream]:
    lookup: dict[str, Workstream] = {}
    for w in Workstream.objects.all():
        lookup[w.slug.lower()] = w
        lookup[w.name.lower()] = w
    return lookup


def _resolve(
    rows: list[ParsedRow], user: Any, required: bool
) -> tuple[dict[int, Workstream | None], list[RowError]]:
    lookup = _workstream_lookup()
    found: dict[int, Workstream | None] = {}
    errors: list[RowError] = []
    for row in rows:
        name = row.values.get("workstream")
        if not name:
            workstream = None
        elif (workstream := lookup.get(str(name).strip().lower())) is None:
            errors.append(RowError(row.row, "Workstream", f"no workstream called “{name}”"))
            continue
        if workstream is None and required:
            errors.append(RowError(row.row, "Workstream", "is required"))
            continue
        if not can_edit_workstream(user, workstream):
            what = workstream.name if workstream else "the programme-wide register"
            errors.append(RowError(row.row, "Workstream", f"you may not edit {what}"))
            continue
        found[row.row] = workstream
    return found, errors


def import_workbook(data: bytes, template: Template, user: Any, filename: str) -> ImportOutcome:
    """Parse, check and (only if every row is good) save. ImportFormatError for bad files."""
    parsed = parse_workbook(data, template, filename)
    workstreams, errors = _resolve(parsed.rows, user, required=template is MILESTONES)
    outcome = ImportOutcome(errors=sorted(parsed.errors + errors, key=lambda e: e.row))
    seen: dict[tuple[int | None, str], int] = {}
    for row in parsed.rows:
        if row.row not in workstreams:
            continue
        ws = workstreams[row.row]
        key = (ws.pk if ws else None, str(row.values["title"]).lower())
        if key in seen:
            outcome.errors.append(
                RowError(row.row, "Title", f"the same title is already on row {seen[key]}")
            )
        seen.setdefault(key, row.row)
    if outcome.errors:
        outcome.errors.sort(key=lambda e: e.row)
        return outcome
    with transaction.atomic():
        for row in parsed.rows:
            created = _save_row(row, workstreams[row.row], template, user, filename)
            outcome.created += int(created)
            outcome.updated += int(not created)
    return outcome


def _save_row(
    row: ParsedRow, workstream: Workstream | None, template: Template, user: Any, filename: str
) -> bool:
    values = {k: v for k, v in row.values.items() if k != "workstream"}
    reason = f"Imported from {filename}, row {row.row}"
    if template is MILESTONES:
        assert workstream is not None
        values["forecast_date"] = values["forecast_date"] or values["baseline_date"]
        values["status"] = values["status"] or "not_started"
        values["owner"] = values["owner"] or ""
        milestone = Milestone.objects.filter(
            workstream=workstream, title__iexact=values["title"]
        ).first()
        created = milestone is None
        milestone = milestone or Milestone(workstream=workstream)
        for k, v in values.items():
            setattr(milestone, k, v)
        audited_save(milestone, user, reason=reason)
        return created
    assert template is RISKS
    values["kind"] = values["kind"] or "risk"
    for text in ("description", "owner", "mitigations"):
        values[text] = values[text] or ""
    risk = Risk.objects.filter(workstream=workstream, title__iexact=values["title"]).first()
    created = risk is None
    risk = risk or Risk(workstream=workstream)
    for k, v in values.items():
        setattr(risk, k, v)
    save_risk(risk=risk, user=user, reason=reason)
    return created
