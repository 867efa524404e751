"""`core.bulk.insert_rows` writes what the ORM would have written (types converted, foreign
keys by key), inside the caller's transaction, and an unknown field is refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from stpkit.web.core.bulk import insert_rows
from stpkit.web.enablers.models import Organisation, StaffRecord
from stpkit.web.system.models import Measure, MeasureValue

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_the_orm_would_write_them() -> None:
    org = Organisation.objects.create(code="RPA", name="Medway", kind="acute")
    n = insert_rows(
        StaffRecord,
        ["year", "record_id", "organisation_id", "staff_group", "band", "wte", "age"],
        [(2017, f"R{i}", org.pk, "nursing", "5", 0.5 + i, 30 + i) for i in range(7)],
        batch_size=3,  # several batches
    )
    assert n == 7
    rows = list(StaffRecord.objects.order_by("age").values_list("record_id", "wte", "age"))
    assert rows[0] == ("R0", 0.5, 30) and rows[-1] == ("R6", 6.5, 36)
    assert StaffRecord.objects.filter(organisation=org).count() == 7


def test_dates_are_prepared_and_a_foreign_key_can_be_named_by_its_field() -> None:
    m = Measure.objects.create(
        code="m", name="M", source="national", polarity="higher", gap="care_quality"
    )
    insert_rows(
        MeasureValue,
        ["measure", "period", "planned", "actual", "actual_source", "version"],
        [(m.pk, date(2018, 4, 1), 90.0, None, "", 1)],
    )
    value = MeasureValue.objects.get()
    assert (value.period, value.planned, value.actual) == (date(2018, 4, 1), 90.0, None)


def test_a_failed_insert_leaves_nothing_in_the_transaction() -> None:
    org = Organisation.objects.create(code="RPA", name="Medway", kind="acute")
    fields = ["year", "record_id", "organisation_id", "staff_group", "band", "wte", "age"]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(
            StaffRecord, fields, [(2017, "same", org.pk, "nursing", "5", 1.0, 40)] * 2
        )  # the unique (year, record_id) constraint
    assert not StaffRecord.objects.exists()
    with pytest.raises(ValueError, match="has no field 'salary'"):
        insert_rows(StaffRecord, ["salary"], [(1,)])
