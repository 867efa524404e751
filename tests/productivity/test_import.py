"""Bad benchmark input is refused whole, with file, row, field and reason."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from stpkit.productivity import InputError, read_metrics, read_peer_groups
from tests.productivity.helpers import CATALOGUE, METRICS, PEERS


def _issues(metrics: bytes, peers: bytes = PEERS) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_metrics(metrics, read_peer_groups(peers, "peers.csv"), CATALOGUE, "metrics.csv")
    return [str(i) for i in caught.value.issues]


def test_good_file_loads_every_row() -> None:
    data = read_metrics(METRICS, read_peer_groups(PEERS, "p.csv"), CATALOGUE, "metrics.csv")
    assert len(data.values) == 14
    assert data.peer_group_of["E"] == "G2"


def test_missing_denominator_names_file_row_and_field() -> None:
    bad = METRICS.replace(b"C,los,2015/16,6,1500", b"C,los,2015/16,6,")
    issues = _issues(bad)
    assert len(issues) == 1
    assert issues[0].startswith("metrics.csv, row 4, field 'denominator': is missing for C los")


def test_zero_denominator_and_bad_value() -> None:
    bad = METRICS.replace(b"A,los,2015/16,4,1000", b"A,los,2015/16,four,0")
    issues = _issues(bad)
    assert "metrics.csv, row 2, field 'value': 'four' is not a number" in issues
    assert "metrics.csv, row 2, field 'denominator': '0' is not a number > 0" in issues


def test_provider_in_no_peer_group() -> None:
    issues = _issues(METRICS + b"Z,los,2015/16,5,100\n")
    assert issues == [
        "metrics.csv, row 16, field 'provider': Z is in no peer group: add it to the "
        "peer-group file or remove its rows"
    ]


def test_mixed_periods_are_refused() -> None:
    bad = METRICS.replace(b"D,los,2015/16,8,500", b"D,los,2016/17,8,500")
    issues = _issues(bad)
    assert len(issues) == 1
    assert "row 5, field 'period'" in issues[0]
    assert "2016/17" in issues[0] and "2015/16" in issues[0]


def test_unknown_metric_and_duplicate_row() -> None:
    bad = METRICS + b"A,losx,2015/16,4,10\nA,los,2015/16,4,1000\n"
    issues = _issues(bad)
    assert any("row 16, field 'metric': 'losx' is not a defined metric" in i for i in issues)
    assert any("row 17, field 'metric': A los already given in row 2" in i for i in issues)


def test_missing_column_is_reported_on_the_header_row() -> None:
    issues = _issues(b"provider,metric,period,value\nA,los,2015/16,4\n")
    assert issues[0].startswith("metrics.csv, row 1, field 'denominator': column is missing")


def test_activity_column_is_accepted_as_the_denominator() -> None:
    renamed = METRICS.replace(b"value,denominator", b"value,activity")
    assert (
        len(read_metrics(renamed, read_peer_groups(PEERS, "p.csv"), CATALOGUE, "m.csv").values)
        == 14
    )


def test_peer_group_problems() -> None:
    with pytest.raises(InputError) as caught:
        read_peer_groups(b"provider,peer_group\nA,G1\nA,G2\nB,\n", "peers.csv")
    text = [str(i) for i in caught.value.issues]
    assert (
        "peers.csv, row 3, field 'peer_group'" in text[0]
        and "already in peer group 'G1'" in text[0]
    )
    assert text[1] == "peers.csv, row 4, field 'peer_group': is empty for B"
    assert "peer group 'G1' has 1 provider(s)" in text[2]


def test_excel_upload_reads_like_csv() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for line in METRICS.decode().splitlines():
        cells = line.split(",")
        ws.append([float(c) if c.replace(".", "").isdigit() else c for c in cells])
    out = io.BytesIO()
    wb.save(out)
    data = read_metrics(out.getvalue(), read_peer_groups(PEERS, "p.csv"), CATALOGUE, "metrics.xlsx")
    assert len(data.values) == 14
    assert {v.period for v in data.values} == {"2015/16"}


def test_catalogue_target_must_be_a_number() -> None:
    from stpkit.productivity import read_catalogue

    header = b"code,name,unit,direction,activity_unit,cash_per_activity,staff_per_activity,target\n"
    good = read_catalogue(header + b"los,LoS,days,lower,bed days,300,0.004,4.5\n", "cat.csv")
    assert good["los"].target == 4.5
    blank = read_catalogue(header + b"los,LoS,days,lower,bed days,300,0.004,\n", "cat.csv")
    assert blank["los"].target is None
    with pytest.raises(InputError) as caught:
        read_catalogue(header + b"los,LoS,days,lower,bed days,300,0.004,soon\n", "cat.csv")
    assert [str(i) for i in caught.value.issues] == [
        "cat.csv, row 2, field 'target': 'soon' is not a number"
    ]


def test_a_field_over_the_csv_limit_is_refused_with_its_row() -> None:
    from stpkit.productivity import read_bridge

    data = ("step,amount\n" + "a,1\n" + "x" * 200_000 + ",2\n").encode()
    with pytest.raises(InputError) as caught:
        read_bridge(data, "bridge.csv")
    issue = caught.value.issues[0]
    assert issue.row >= 3 and "readable CSV row" in issue.reason


def test_a_row_cut_short_is_refused_by_number_and_nothing_loads() -> None:
    from stpkit.productivity import read_bridge

    data = b"step,amount\na,1\nb\nc,4,,\n"
    with pytest.raises(InputError) as caught:
        read_bridge(data, "bridge.csv")
    assert [i.row for i in caught.value.issues] == [3]
    assert "cut short" in caught.value.issues[0].reason


def test_an_unknown_column_is_named_not_ignored() -> None:
    from collections.abc import Callable

    from stpkit.productivity import read_bridge, read_catalogue, read_savings

    def refused(read: Callable[[], object]) -> str:
        with pytest.raises(InputError) as caught:
            read()
        return str(caught.value)

    def with_column(data: bytes, column: str) -> bytes:
        header, *rows = data.strip().split(b"\n")
        return b"\n".join([header + b"," + column.encode(), *(r + b",x" for r in rows)])

    peers = with_column(PEERS, "region")
    assert "unknown column 'region'" in refused(lambda: read_peer_groups(peers, "p.csv"))
    metrics = with_column(METRICS, "notes")
    message = refused(
        lambda: read_metrics(metrics, read_peer_groups(PEERS, "p.csv"), CATALOGUE, "m.csv")
    )
    assert "m.csv, row 1, field 'notes': unknown column 'notes'" in message
    savings = b"working_group,scheme,month,planned,actuals,confidence\nx,y,2020-04,1,2,G\n"
    message = refused(lambda: read_savings(savings, "2020/21", {"x"}, "s.csv"))
    assert "s.csv, row 1, field 'actuals': unknown column 'actuals'" in message
    bridge = b"label,kind,amount,notes\nStart,end,1,x\n"
    assert "unknown column 'notes'" in refused(lambda: read_bridge(bridge, "b.csv"))
    catalogue = (
        b"code,name,unit,direction,activity_unit,cash_per_activity,staff_per_activity,traget\n"
        b"los,Length of stay,days,lower,bed days,300,0.004,5\n"
    )
    assert "unknown column 'traget'" in refused(lambda: read_catalogue(catalogue, "c.csv"))
