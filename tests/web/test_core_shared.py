"""The shared pieces every area uses: downloads, the audit trail, stale-edit refusal."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import Role
from stpkit.web.core.audit import StaleEditError, audited_delete, audited_save, history_for
from stpkit.web.core.models import ChangeRecord, Partnership
from stpkit.web.core.tables import table_download

ROWS = [{"name": "Prevention", "budget": 1200.5, "owner": None}, {"name": "Ünicode", "budget": 3}]
COLUMNS = [("name", "Workstream"), ("budget", "Budget (GBP)"), ("owner", "Owner")]


def test_csv_download_has_headings_and_every_row() -> None:
    request = RequestFactory().get("/x/?format=csv")
    response = table_download(request, ROWS, COLUMNS, "workstreams")
    assert response is not None
    assert response["Content-Disposition"] == 'attachment; filename="workstreams.csv"'
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Workstream", "Budget (GBP)", "Owner"],
        ["Prevention", "1200.5", ""],
        ["Ünicode", "3", ""],
    ]


def test_excel_download_opens_with_typed_cells() -> None:
    request = RequestFactory().get("/x/?format=xlsx")
    response = table_download(request, ROWS, COLUMNS, "workstreams")
    assert response is not None
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    assert [c.value for c in ws[1]] == ["Workstream", "Budget (GBP)", "Owner"]
    assert ws["B2"].value == 1200.5 and ws["A3"].value == "Ünicode"


def test_no_format_means_render_the_page() -> None:
    assert table_download(RequestFactory().get("/x/"), ROWS, COLUMNS, "w") is None


@pytest.fixture
def editor(user_with_role: Callable[[Role], User]) -> User:
    return user_with_role(Role.PROGRAMME_OFFICE)


def test_audited_save_records_each_changed_field(db: None, editor: User) -> None:
    p = audited_save(
        Partnership(name="A", short_name="A", icb_code="E54000032", population=10), editor
    )
    p.population = 20
    audited_save(p, editor, expected_version=1, reason="census")
    records = list(history_for(p))
    assert [r.action for r in records] == ["update", "create"]
    assert records[0].changes == {"population": [10, 20]}
    assert records[0].reason == "census" and records[0].user == editor
    p.refresh_from_db()
    assert p.version == 2


def test_the_second_of_two_concurrent_edits_is_refused(db: None, editor: User) -> None:
    p = audited_save(
        Partnership(name="A", short_name="A", icb_code="E54000032", population=10), editor
    )
    first = Partnership.objects.get(pk=p.pk)
    second = Partnership.objects.get(pk=p.pk)
    first.population = 11
    audited_save(first, editor, expected_version=1)
    second.population = 12
    with pytest.raises(StaleEditError, match="after you opened it"):
        audited_save(second, editor, expected_version=1)
    p.refresh_from_db()
    assert p.population == 11


def test_delete_is_recorded(db: None, editor: User) -> None:
    p = audited_save(Partnership(name="A", short_name="A", icb_code="X", population=1), editor)
    pk = p.pk
    audited_delete(p, editor, reason="duplicate")
    record = ChangeRecord.objects.get(object_id=str(pk), action="delete")
    assert record.changes["name"] == ["A", None] and record.reason == "duplicate"
