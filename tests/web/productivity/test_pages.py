"""Productivity pages against a real database: imports, edits, downloads, the Word summary."""

from __future__ import annotations

import html as html_text
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from stpkit.demo.productivity import load
from stpkit.productivity import kent_medway as km
from stpkit.web.accounts.roles import Role
from stpkit.web.core.audit import history_for
from stpkit.web.core.models import ChangeRecord
from stpkit.web.productivity import models as m


@pytest.fixture
def office(demo_partnership: None, client_for: Callable[[Role], Client]) -> Client:
    load()
    return client_for(Role.PROGRAMME_OFFICE)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_demo_load_is_idempotent(demo_partnership: None) -> None:
    load()
    counts = (
        m.ProviderMetric.objects.count(),
        m.SchemeMonth.objects.count(),
        m.BenchmarkImport.objects.count(),
    )
    load()
    assert counts == (
        m.ProviderMetric.objects.count(),
        m.SchemeMonth.objects.count(),
        m.BenchmarkImport.objects.count(),
    )
    assert counts[0] == 44 * 9
    assert m.WorkingGroup.objects.count() == 8
    pathology = dict(
        m.Target.objects.filter(working_group__slug="pathology").values_list("plan_year", "amount")
    )
    # the seed's 2020/21 opportunity, phased for the demo's 2017/18 and 2018/19
    assert pathology == {"2017/18": 19_200_000, "2018/19": 33_600_000, "2020/21": 48_000_000}
    staffing = m.Target.objects.filter(working_group__slug="temporary-staffing")
    assert staffing.count() == 3 and all(t.amount is None for t in staffing)
    # schemes in the demo's plan year and the next, actuals only to January 2018
    assert set(m.Scheme.objects.values_list("plan_year", flat=True)) == {"2017/18", "2018/19"}
    actual = m.SchemeMonth.objects.filter(actual__isnull=False)
    assert max(actual.values_list("month", flat=True)) == date(2018, 1, 1)
    assert not actual.filter(scheme__plan_year="2018/19").exists()


def test_index_shows_programme_totals(office: Client) -> None:
    html = office.get(reverse("productivity:index")).content.decode()
    assert "£190.0m" in html
    # the 2017/18 working-group targets (the seed's 2020/21 167m phased at 40%), staffing TBC
    assert "£66.8m" in html and "working-group targets 2017/18" in html
    assert "delivered to January 2018" in html
    assert "Care of the elderly" in html


def test_good_import_replaces_benchmarks(office: Client) -> None:
    rows = [r for r in km.synthetic_metrics() if r["metric"] == "los_emergency_75plus"]
    response = office.post(
        reverse("productivity:import_benchmarks"),
        {"metrics": _upload("los.csv", km.to_csv(rows))},
    )
    assert response.status_code == 302
    assert m.ProviderMetric.objects.count() == 44
    assert m.BenchmarkImport.objects.first().metrics_file == "los.csv"  # type: ignore[union-attr]


def test_bad_import_changes_nothing_and_says_why(office: Client) -> None:
    before = list(
        m.ProviderMetric.objects.order_by("id").values_list("provider", "metric", "value")
    )
    rows = km.synthetic_metrics()
    rows[5]["denominator"] = ""
    rows[7]["period"] = "2016/17"
    rows.append(
        {
            "provider": "Nowhere NHS Trust",
            "metric": "agency_share",
            "period": "2015/16",
            "value": 0.1,
            "denominator": 5,
        }
    )
    response = office.post(
        reverse("productivity:import_benchmarks"),
        {"metrics": _upload("metrics.csv", km.to_csv(rows))},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 3 problems to fix" in html
    assert "is missing for" in html and "mixed periods" in html
    assert "Nowhere NHS Trust is in no peer group" in html
    after = list(m.ProviderMetric.objects.order_by("id").values_list("provider", "metric", "value"))
    assert after == before


def test_bad_peer_group_file_changes_nothing(office: Client) -> None:
    groups = dict(m.PeerGroupMember.objects.values_list("provider", "peer_group"))
    response = office.post(
        reverse("productivity:import_benchmarks"),
        {
            "metrics": _upload("metrics.csv", km.to_csv(km.synthetic_metrics())),
            "peers": _upload("peers.csv", b"provider,peer_group\nA,G\n"),
        },
    )
    assert "peer group &#39;G&#39; has 1 provider(s)" in response.content.decode()
    assert dict(m.PeerGroupMember.objects.values_list("provider", "peer_group")) == groups


def test_savings_beyond_plan_year_are_refused_whole(office: Client) -> None:
    before = m.SchemeMonth.objects.count()
    rows = km.savings_rows(km.demo_schemes())
    rows.append({**rows[0], "month": "2018-04"})
    response = office.post(
        reverse("productivity:import_savings"), {"savings": _upload("plan.csv", km.to_csv(rows))}
    )
    html = response.content.decode()
    assert f"{len(rows) + 1}" in html  # the row number of the bad row
    assert "April 2018 is after the plan year 2017/18" in html
    assert m.SchemeMonth.objects.count() == before


def test_savings_import_replaces_the_named_groups(office: Client) -> None:
    csv = (
        b"working_group,scheme,month,planned,actual,confidence\n"
        b"pathology,New hub,2017-04,1000,500,G\n"
    )
    response = office.post(
        reverse("productivity:import_savings"), {"savings": _upload("p.csv", csv)}
    )
    assert response.status_code == 302
    year = m.Scheme.objects.filter(plan_year="2017/18")
    assert list(year.filter(working_group__slug="pathology").values_list("name", flat=True)) == [
        "New hub"
    ]
    assert year.filter(working_group__slug="medicines").count() == 2
    # the next plan year's schemes are another year's plan: left as they were
    assert (
        m.Scheme.objects.filter(plan_year="2018/19", working_group__slug="pathology").count() == 2
    )


def test_scheme_edit_is_audited_and_refuses_stale_edits(office: Client) -> None:
    scheme = m.Scheme.objects.get(slug="repatriation-of-send-away-tests", plan_year="2017/18")
    url = reverse("productivity:scheme_edit", kwargs={"slug": "pathology", "scheme": scheme.slug})
    ok = office.post(url, {"name": scheme.name, "confidence": "R", "version": scheme.version})
    assert ok.status_code == 302
    scheme.refresh_from_db()
    assert scheme.confidence == "R" and scheme.version == 2
    record = history_for(scheme).first()
    assert record is not None and record.changes == {"confidence": ["G", "R"]}
    stale = office.post(url, {"name": scheme.name, "confidence": "A", "version": 1})
    assert "was changed" in stale.content.decode()
    scheme.refresh_from_db()
    assert scheme.confidence == "R"


def test_working_group_focus_areas_and_targets_by_year_are_edited_and_audited(
    office: Client,
) -> None:
    group = m.WorkingGroup.objects.get(slug="temporary-staffing")
    url = reverse("productivity:working_group_edit", kwargs={"slug": group.slug})
    form = office.get(url).content.decode()
    # the seed gives no target for temporary staffing, in any year
    assert "2017/18: TBC" in form and "2020/21: TBC" in form
    fields = {"lead": "Jo Bloggs", "scope": group.scope, "status": "active"}
    refused = office.post(
        url,
        {
            **fields,
            "version": group.version,
            "focus_areas": "Agency rates",
            "targets": "2020/21: lots\n2021-22: 5",
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "line 1: “lots” is not an amount in pounds or TBC" in page
    assert "line 2: “2021-22” is not a plan year like 2020/21" in page
    group.refresh_from_db()
    assert group.lead != "Jo Bloggs"  # nothing saved
    assert all(t.amount is None for t in group.targets.all())
    saved = office.post(
        url,
        {
            **fields,
            "version": group.version,
            "focus_areas": "Agency rates\nBank fill rates\n\nAgency rates",
            "targets": "2017/18: £20,000,000\n2021/22: TBC",
        },
    )
    assert saved.status_code == 302
    group.refresh_from_db()
    assert group.lead == "Jo Bloggs"
    assert list(group.focus_areas.values_list("name", flat=True)) == [
        "Agency rates",
        "Bank fill rates",
    ]
    targets = {t.plan_year: t.amount for t in group.targets.all()}
    assert targets == {"2017/18": 20_000_000, "2021/22": None}  # lines left out are removed
    changes = [r.changes for r in history_for(group)]
    assert any(
        c.get("target 2017/18") == ["TBC", "20,000,000"]
        and c.get("target 2021/22") == [None, "TBC"]
        for c in changes
    )
    assert any("focus_areas" in c for c in changes)
    # The plan year's totals now count the confirmed target.
    index = office.get(reverse("productivity:index") + "?format=csv").content.decode("utf-8-sig")
    assert "Temporary staffing,active,20000000.0" in index
    stale = office.post(url, {**fields, "version": 1, "focus_areas": "", "targets": "2017/18: 1"})
    assert "was changed" in stale.content.decode()
    assert group.targets.get(plan_year="2017/18").amount == 20_000_000


def test_bridge_import_replaces_the_bridge_or_changes_nothing(office: Client) -> None:
    url = reverse("productivity:import_bridge")
    before = list(m.BridgeStep.objects.values_list("label", "amount"))
    unbalanced = b"label,kind,amount\nGap,change,-100\nSavings,change,55\nLeft,end,-40\n"
    refused = office.post(url, {"bridge": _upload("bridge.csv", unbalanced)})
    page = html_text.unescape(refused.content.decode())
    assert refused.status_code == 200 and "Nothing was imported" in page
    assert '<td class="nhsuk-table__cell">4</td>' in page
    assert "'Left' is stated as -40.0 but its parts add to -45.0" in page
    assert list(m.BridgeStep.objects.values_list("label", "amount")) == before
    good = (
        b"label,kind,amount,note\nSystem gap,change,-100,\nTotal,subtotal,-100,\n"
        b"CIP,change,45,\nQIPP,change,TBC,awaiting plans\nLeft,end,-55,\n"
    )
    assert office.post(url, {"bridge": _upload("bridge.csv", good)}).status_code == 302
    assert list(m.BridgeStep.objects.values_list("label", flat=True)) == [
        "System gap",
        "Total",
        "CIP",
        "QIPP",
        "Left",
    ]
    bridge = office.get(reverse("productivity:bridge") + "?format=csv").content.decode("utf-8-sig")
    assert "Left,end,-55" in bridge and "QIPP,change,TBC" in bridge
    html = office.get(reverse("productivity:bridge")).content.decode()
    assert 'data-figure="contributions">45<' in html and "not yet quantified: QIPP" in html
    deleted = ChangeRecord.objects.filter(action="delete", reason="bridge replaced by bridge.csv")
    assert deleted.count() == len(before)  # the old bridge stays in the audit trail


def test_downloads_csv_and_excel(office: Client) -> None:
    csv = office.get(reverse("productivity:index") + "?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Working group,Status,Target 2017/18 (GBP)")
    # 2017/18 is phased at 40% of the seed's 2020/21 opportunity (48 million for pathology)
    assert "Pathology,active,19200000.0" in csv
    xlsx = office.get(reverse("productivity:opportunity") + "?table=detail&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "Provider"
    assert sheet.max_row == 1 + 4 * 9
    bridge = office.get(reverse("productivity:bridge") + "?format=csv").content.decode("utf-8-sig")
    assert "Total system challenge,subtotal,-434" in bridge


def test_opportunity_page_figures(office: Client) -> None:
    html = office.get(
        reverse("productivity:opportunity") + "?basis=upper_quartile"
    ).content.decode()
    assert "peer best quartile" in html
    assert "Overlaps not counted" in html


def test_opportunity_against_the_catalogue_targets(office: Client) -> None:
    import csv

    definitions = km.catalogue()
    trusts = {name for name, _ in km.KM_TRUSTS}
    expected: dict[str, float] = {}
    for r in km.synthetic_metrics():
        d = definitions[str(r["metric"])]
        if r["provider"] not in trusts or d.target is None:
            continue
        value = float(str(r["value"]))
        gap = value - d.target if d.direction.value == "lower" else d.target - value
        cash = max(0.0, gap) * float(str(r["denominator"])) * d.cash_per_activity
        expected[str(r["provider"])] = expected.get(str(r["provider"]), 0.0) + cash
    url = reverse("productivity:opportunity") + "?basis=target"
    html = office.get(url).content.decode()
    assert "the target set for each metric" in html
    assert "left out of these figures: Corporate services cost per GBP 1m income" in html
    rows = csv.DictReader(io.StringIO(office.get(url + "&format=csv").content.decode("utf-8-sig")))
    shown = {r["Provider"]: float(r["Opportunity (GBP)"]) for r in rows}
    assert shown == pytest.approx(expected, abs=1)
    los = office.get(reverse("productivity:metric", kwargs={"code": "los_emergency_75plus"}))
    assert "Target: 8.5." in los.content.decode()


@pytest.mark.slow
def test_board_summary_docx(office: Client) -> None:
    response = office.get(reverse("productivity:board_summary"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[0].text == "Kent and Medway: productivity programme"
    groups = [row.cells[0].text for row in doc.tables[0].rows[1:]]
    assert groups[0] == "Temporary staffing" and len(groups) == 8
    providers = [row.cells[0].text for row in doc.tables[1].rows[1:]]
    assert set(providers) == {name for name, _ in km.KM_TRUSTS}


@pytest.mark.postgres
def test_runs_on_postgresql(office: Client) -> None:
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert (
        office.get(reverse("productivity:working_group", kwargs={"slug": "medicines"})).status_code
        == 200
    )
