"""Productivity services: writes take keyword arguments and leave their audit record in the
same transaction; a refused import changes nothing, its audit trail included."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stpkit.demo.productivity import load
from stpkit.productivity import InputError
from stpkit.productivity import kent_medway as km
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.models import ChangeRecord
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services


@pytest.fixture
def office_user(demo_partnership: None, user_with_role: Callable[[Role], User]) -> User:
    load()
    return user_with_role(Role.PROGRAMME_OFFICE)


def test_writes_take_keyword_arguments_only(demo_partnership: None) -> None:
    load()
    with pytest.raises(TypeError):
        services.import_bridge(b"label,kind,amount\n", "b.csv", None)  # type: ignore[misc]


def test_savings_import_is_audited_on_each_group_it_replaces(office_user: User) -> None:
    csv = (
        b"working_group,scheme,month,planned,actual,confidence\n"
        b"pathology,New hub,2017-04,1000,500,G\n"
    )
    count = services.import_savings(data=csv, name="plan.csv", user=office_user)
    assert count == 1
    group = m.WorkingGroup.objects.get(slug="pathology")
    record = history_for(group).first()
    assert record is not None
    assert record.reason == "savings imported from plan.csv"
    assert record.user == office_user
    before, after = record.changes["schemes 2017/18"]
    assert after == "New hub (1,000)" and "New hub" not in before
    medicines = m.WorkingGroup.objects.get(slug="medicines")
    assert not history_for(medicines).filter(reason="savings imported from plan.csv").exists()


def test_a_refused_import_leaves_no_audit_record(office_user: User) -> None:
    records = ChangeRecord.objects.count()
    bad = b"working_group,scheme,month,planned,actual,confidence\nnowhere,X,2017-04,1,,G\n"
    with pytest.raises(InputError):
        services.import_savings(data=bad, name="bad.csv", user=office_user)
    assert ChangeRecord.objects.count() == records


def test_benchmark_import_records_itself_on_the_audit_trail(office_user: User) -> None:
    record = services.import_benchmarks(
        metrics=km.to_csv(km.synthetic_metrics()), metrics_name="m.csv", user=office_user
    )
    audit = history_for(record).get()
    assert audit.action == "create" and audit.user == office_user
    assert audit.reason == "benchmarks imported from m.csv"
    assert audit.changes["rows"] == [None, record.rows]


def test_a_stale_working_group_save_changes_nothing(office_user: User) -> None:
    group = m.WorkingGroup.objects.get(slug="pathology")
    focus = list(group.focus_areas.values_list("name", flat=True))
    group.lead = "Someone else"
    with pytest.raises(StaleEditError):
        services.save_working_group(
            group=group,
            focus_areas=["Only this"],
            targets={"2020/21": None},
            expected_version=group.version - 1,
            user=office_user,
        )
    group.refresh_from_db()
    assert group.lead != "Someone else"
    assert list(group.focus_areas.values_list("name", flat=True)) == focus
    assert group.targets.get(plan_year="2020/21").amount == 48_000_000
