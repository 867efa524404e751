"""Every area of the demo is "as at" one date (`demo.clock.AS_AT`, 5 March 2018).

What is allowed after the as-at date:
- plans, forecasts, trajectories, targets and dates things are due (a milestone's baseline
  and forecast, a risk's review date, a capital plan's years, a benefit's target month, a
  purpose's expiry, a savings plan's months without an actual, a measure's planned value);
- audit stamps (`auto_now`, `auto_now_add` fields): who changed what and when stays on the
  real clock (`core.clock`).
What is not: anything recorded as having happened, so every other date or time in the
demo's tables must be on or before the as-at date (a grace of `GRACE` for a date written
as the end of the month it falls in), and a month with an actual value must have ended by
then.

The data area is left out: its records live in the pseudonymised store (synthesised for
the two years before the as-at date, `demo.data`), not in these tables.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import models

from stpkit.demo import AREAS, load_demo
from stpkit.demo.clock import AS_AT

GRACE = timedelta(days=31)
LOADED = tuple(a for a in AREAS if a != "data")

# (app label, model name) -> fields that may run forward: plans, forecasts, due dates.
FORWARD: dict[tuple[str, str], frozenset[str]] = {
    ("programme", "milestone"): frozenset({"start_date", "baseline_date", "forecast_date"}),
    ("programme", "risk"): frozenset({"review_date"}),
    ("board", "action"): frozenset({"due"}),
    ("board", "boardmeeting"): frozenset({"date"}),  # meetings scheduled ahead
    ("decisions", "programme"): frozenset({"consultation_starts", "consultation_ends"}),
    ("decisions", "timelinetask"): frozenset({"start", "finish", "forecast_start"}),
    ("consultation", "consultation"): frozenset({"opens", "closes"}),
    ("enablers", "workstreamrequest"): frozenset({"needed_by"}),
    ("system", "benefit"): frozenset({"target_month"}),
    # the ODS list the demo ships is today's: the 2017 CCGs' closing in March 2020 is in it
    ("system", "organisation"): frozenset({"close_date"}),
}
# Month rows whose value may be planned ahead but whose actual must be in the past:
# (app label, model name) -> (the month field, the actual field).
ACTUAL_MONTHS: dict[tuple[str, str], tuple[str, str]] = {
    ("productivity", "schememonth"): ("month", "actual"),
    ("system", "measurevalue"): ("period", "actual"),
}
# Stamped like an audit record but set by the demo to when the thing happened.
DEMO_STAMPS: dict[tuple[str, str], frozenset[str]] = {
    ("programme", "riskscore"): frozenset({"recorded_at"}),
}
# Apps whose dates are people's use of the app (logins, notifications read, tokens used) or
# the audit trail: the real clock.
REAL_CLOCK_APPS = frozenset({"admin", "auth", "contenttypes", "sessions", "axes", "core"}) | {
    "accounts",
    "tasks",
    "data",
}


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _dated_fields(model: type[models.Model]) -> list[str]:
    stamps = DEMO_STAMPS.get((model._meta.app_label, model._meta.model_name or ""), frozenset())
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField)  # DateTimeField is one too
        and (
            f.name in stamps
            or not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        )
    ]


def too_late(as_at: date) -> dict[str, date]:
    """`app.model.field` -> its latest value, for each field of the demo's tables holding an
    actual after `as_at` (plus the grace)."""
    found: dict[str, date] = {}
    latest_allowed = as_at + GRACE
    for model in apps.get_models():
        meta = model._meta
        key = (meta.app_label, meta.model_name or "")
        if meta.app_label in REAL_CLOCK_APPS:
            continue
        rows = model._default_manager.all()
        if key in ACTUAL_MONTHS:
            month, actual = ACTUAL_MONTHS[key]
            last = rows.filter(**{f"{actual}__isnull": False}).aggregate(m=models.Max(month))["m"]
            # a month's actual is known once the month has ended
            if last is not None and _as_date(last) >= date(as_at.year, as_at.month, 1):
                found[f"{meta.label}.{month} (with {actual})"] = _as_date(last)
            continue
        if key == ("programme", "milestone"):  # a completed milestone finished by then
            last = rows.filter(status="complete").aggregate(m=models.Max("forecast_date"))["m"]
            if last is not None and last > latest_allowed:
                found[f"{meta.label}.forecast_date (complete)"] = last
        for name in _dated_fields(model):
            if name in FORWARD.get(key, frozenset()):
                continue
            last = rows.aggregate(m=models.Max(name))["m"]
            if last is not None and _as_date(last) > latest_allowed:
                found[f"{meta.label}.{name}"] = _as_date(last)
    return found


@pytest.mark.slow
@pytest.mark.django_db
def test_no_demo_area_records_anything_as_done_after_the_as_at_date() -> None:
    load_demo(areas=LOADED)
    assert too_late(AS_AT) == {}


def test_the_check_finds_an_actual_after_the_as_at_date(db: None) -> None:
    from stpkit.demo import partnership
    from stpkit.web.productivity import models as pm

    partnership.load_partnership()
    group = pm.WorkingGroup.objects.create(slug="g", name="G", kind="clinical", order=1)
    scheme = pm.Scheme.objects.create(working_group=group, plan_year="2018/19", slug="s", name="S")
    pm.SchemeMonth.objects.create(scheme=scheme, month=date(2018, 6, 1), planned=1)
    assert too_late(AS_AT) == {}  # a plan ahead is allowed
    pm.SchemeMonth.objects.create(scheme=scheme, month=date(2018, 3, 1), planned=1, actual=1)
    assert too_late(AS_AT) == {"productivity.SchemeMonth.month (with actual)": date(2018, 3, 1)}
