"""Bad input, idempotent and incremental loads, atomic replacement of the store.

A small clean extract (300 people) and a store built from it once for the module; each
test copies both, damages or extends the copy, builds again and checks what happened to
the live store.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from stpkit.kid import ContractError
from stpkit.kid.pipeline import current_version, open_store

from .pipeline_helpers import data_lines, header, make_key, make_raw, run_build

pytestmark = pytest.mark.slow  # builds a small store per module (seconds, not ms)


@dataclass
class Template:
    raw: Path
    store: Path
    key: Path
    version: str


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    root = tmp_path_factory.mktemp("kid-bad")
    synth = make_raw(root, people=300, seed=5)
    key = make_key(root / "key")
    result = run_build(synth.raw_dir, root / "store", key)
    return Template(synth.raw_dir, root / "store", key, result.version.version)


@dataclass
class Copy:
    raw: Path
    store: Path
    key: Path


@pytest.fixture
def copy(template: Template, tmp_path: Path) -> Copy:
    shutil.copytree(template.raw, tmp_path / "raw")
    shutil.copytree(template.store, tmp_path / "store")
    return Copy(tmp_path / "raw", tmp_path / "store", template.key)


def snapshot(store: Path) -> dict[str, str]:
    """Every file in the store with its content hash (to prove nothing changed)."""
    return {
        str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*"))
        if p.is_file()
    }


def rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(lines))


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def expect_refused(copy: Copy, match: str) -> ContractError:
    before = snapshot(copy.store)
    with pytest.raises(ContractError, match=match) as info:
        run_build(copy.raw, copy.store, copy.key)
    assert snapshot(copy.store) == before  # nothing half-loaded, live version untouched
    return info.value


def test_file_that_is_not_csv_is_refused(copy: Copy) -> None:
    path = copy.raw / "ae" / "2024-03.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4\x00\x00")
    error = expect_refused(copy, "not UTF-8")
    assert str(path) in str(error) and "row 1" in str(error)


def test_wrong_delimiter_is_refused_naming_the_missing_field(copy: Copy) -> None:
    path = copy.raw / "community" / "2024-02.csv"
    path.write_bytes(path.read_bytes().replace(b",", b";"))
    error = expect_refused(copy, "field 'NHSNumber' missing")
    assert str(path) in str(error) and "row 1 (header)" in str(error)


def test_missing_column_is_refused_naming_file_row_and_field(copy: Copy) -> None:
    path = copy.raw / "ae" / "2024-05.csv"
    cols = header(path)
    drop = cols.index("hrg")
    rows = [cols, *data_lines(path)]
    path.write_text("\n".join(",".join(v for i, v in enumerate(r) if i != drop) for r in rows))
    error = expect_refused(copy, "field 'hrg' missing")
    assert str(path) in str(error) and "row 1 (header)" in str(error)


def test_wrong_encoding_is_refused_naming_row_and_field(copy: Copy) -> None:
    path = copy.raw / "gp_appointments" / "2024-06.csv"
    lines = lines_of(path)
    cols = header(path)
    values = lines[6].decode().split(",")
    values[cols.index("SURNAME")] = "Bront\xeb"
    lines[6] = ",".join(values).encode("latin-1")  # row 7 of the file, in Latin-1
    rewrite(path, lines)
    error = expect_refused(copy, "row 7, field 'SURNAME': not UTF-8")
    assert str(path) in str(error)


def test_row_with_extra_values_is_refused_naming_the_row(copy: Copy) -> None:
    path = copy.raw / "mental_health" / "2024-04.csv"
    lines = lines_of(path)
    lines[3] = lines[3].rstrip(b"\r\n") + b",surplus\n"
    rewrite(path, lines)
    error = expect_refused(copy, "row 4, field '\\(extra\\)'")
    assert str(path) in str(error)


def test_blank_line_is_refused_so_rows_reconcile(copy: Copy) -> None:
    path = copy.raw / "outpatients" / "2024-07.csv"
    lines = lines_of(path)
    rewrite(path, [*lines[:5], b"\n", *lines[5:]])
    error = expect_refused(copy, "row 6: blank line")
    assert str(path) in str(error)


def test_unknown_code_quarantines_only_that_row(copy: Copy, template: Template) -> None:
    path = copy.raw / "outpatients" / "2024-02.csv"
    cols = header(path)
    lines = lines_of(path)
    values = lines[2].decode().split(",")
    values[cols.index("specialty")] = "999"
    lines[2] = ",".join(values).encode()
    rewrite(path, lines)
    result = run_build(copy.raw, copy.store, copy.key)
    assert result.changed
    con = open_store(copy.store)
    reasons = con.execute(
        "SELECT reasons FROM quarantine WHERE source_file = 'outpatients/2024-02.csv' "
        "AND row_number = 3"
    ).fetchall()
    assert reasons == [("specialty: unknown code 999",)]
    old = open_store(template.store)
    new_count = con.execute("SELECT count(*) FROM activity").fetchall()[0][0]
    old_count = old.execute("SELECT count(*) FROM activity").fetchall()[0][0]
    assert new_count == old_count - 1


def test_an_identifier_in_a_coded_field_never_reaches_the_quarantine(copy: Copy) -> None:
    """The quarantine is in the pseudonymised store: it names the row, not the identifier."""
    path = copy.raw / "outpatients" / "2024-02.csv"
    cols = header(path)
    lines = lines_of(path)
    values = lines[2].decode().split(",")
    values[cols.index("specialty")] = "9434765919"  # an NHS number keyed into the wrong box
    lines[2] = ",".join(values).encode()
    rewrite(path, lines)
    run_build(copy.raw, copy.store, copy.key)
    reasons = (
        open_store(copy.store)
        .execute(
            "SELECT reasons FROM quarantine WHERE source_file = 'outpatients/2024-02.csv' "
            "AND row_number = 3"
        )
        .fetchall()
    )
    assert reasons == [("specialty: unknown code (a value of 10 characters, not shown)",)]


def test_byte_order_mark_is_accepted(copy: Copy, template: Template) -> None:
    path = copy.raw / "social_care" / "2024-01.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_build(copy.raw, copy.store, copy.key)
    assert result.counts == open_store_counts(template.store, result.counts)


def open_store_counts(store: Path, like: dict[str, int]) -> dict[str, int]:
    manifest = current_version(store)
    assert manifest is not None
    counts: dict[str, int] = manifest.manifest["counts"]
    assert set(counts) == set(like)
    return counts


def test_loading_the_same_files_again_changes_nothing(copy: Copy, template: Template) -> None:
    before = snapshot(copy.store)
    again = run_build(copy.raw, copy.store, copy.key)
    assert not again.changed and again.version.version == template.version
    # the same file delivered a second time under another name is read once
    shutil.copy(copy.raw / "ae" / "2024-01.csv", copy.raw / "ae" / "2024-01-resent.csv")
    resent = run_build(copy.raw, copy.store, copy.key)
    assert not resent.changed and resent.version.version == template.version
    assert snapshot(copy.store) == before


def test_monthly_increment_adds_only_the_new_rows(copy: Copy) -> None:
    con = open_store(copy.store)
    before = set(con.execute("SELECT provider, record_id, person_token FROM activity").fetchall())
    con.close()
    source = copy.raw / "gp_appointments" / "2024-12.csv"
    cols = header(source)
    rid, day = cols.index("APPT_ID"), cols.index("APPT_DATE")
    new_rows = []
    for i, row in enumerate(data_lines(source)[:40]):
        row[rid] = f"GPA-2025-{i}"
        row[day] = "15/01/2025"
        new_rows.append(",".join(row))
    (copy.raw / "gp_appointments" / "2025-01.csv").write_text(
        ",".join(cols) + "\n" + "\n".join(new_rows) + "\n"
    )
    result = run_build(copy.raw, copy.store, copy.key)
    assert result.changed
    con = open_store(copy.store)
    after = set(con.execute("SELECT provider, record_id, person_token FROM activity").fetchall())
    assert before < after and len(after - before) == 40
    assert {r[1] for r in after - before} == {f"GPA-2025-{i}" for i in range(40)}
    log = con.execute(
        "SELECT rows_in, accepted FROM load_log WHERE source_file = 'gp_appointments/2025-01.csv'"
    ).fetchall()
    assert log == [(40, 40)]
    # rows delivered again in a later file are quarantined as duplicates, not double counted
    (copy.raw / "gp_appointments" / "2025-02.csv").write_text(
        ",".join(cols) + "\n" + "\n".join(new_rows[:10]) + "\n"
    )
    run_build(copy.raw, copy.store, copy.key)
    con = open_store(copy.store)
    again = set(con.execute("SELECT provider, record_id, person_token FROM activity").fetchall())
    assert again == after
    dup = con.execute(
        "SELECT count(*) FROM quarantine WHERE source_file = 'gp_appointments/2025-02.csv' "
        "AND reasons = 'record_id: duplicate of an earlier row'"
    ).fetchall()
    assert dup == [(10,)]


def test_failed_load_keeps_the_previous_version(copy: Copy, template: Template) -> None:
    """A file broken far down (after earlier files have been read) fails the whole load."""
    path = copy.raw / "gp_appointments" / "2024-12.csv"
    lines = lines_of(path)
    assert len(lines) > 100
    lines[-1] = b"\xff\xfe" + lines[-1]
    rewrite(path, lines)
    expect_refused(copy, f"row {len(lines)}")
    assert current_version(copy.store).version == template.version  # type: ignore[union-attr]
    assert not list((copy.store / "versions").glob(".building-*"))


def test_killed_build_leaves_the_previous_store_intact(copy: Copy, template: Template) -> None:
    before = snapshot(copy.store)
    code = (
        "import sys; from pathlib import Path; from stpkit.kid import build; "
        "build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), force=True)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(copy.raw), str(copy.store), str(copy.key)],
        start_new_session=True,
    )
    killed = False
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        partial = list((copy.store / "versions").glob(".building-*/*"))
        if partial:  # killed while writing the new version
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.005)
    proc.wait()
    assert killed, "the build finished before it could be killed"
    assert (copy.store / "CURRENT").read_text().strip() == template.version
    live = {k: v for k, v in snapshot(copy.store).items() if ".building-" not in k}
    assert live == before
    con = open_store(copy.store)
    assert con.execute("SELECT count(*) FROM activity").fetchall()[0][0] > 0
    # the next build succeeds and replaces the live version
    result = run_build(copy.raw, copy.store, copy.key, force=True)
    assert result.changed and result.version.version != template.version
    assert current_version(copy.store).version == result.version.version  # type: ignore[union-attr]
    assert (copy.store / "versions" / template.version).is_dir()  # previous kept
    # the pseudonymised partial the killed build left is gone after the next build
    assert not list((copy.store / "versions").glob(".building-*"))


def test_every_bad_file_is_reported_in_one_run(copy: Copy) -> None:
    first = copy.raw / "ae" / "2024-03.csv"
    second = copy.raw / "community" / "2024-02.csv"
    first.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4\x00\x00")
    second.write_bytes(second.read_bytes().replace(b",", b";"))
    error = expect_refused(copy, "2 extract file")
    assert str(first) in str(error) and str(second) in str(error)


def test_bad_rows_in_two_extracts_staged_at_once_report_the_first_by_name(copy: Copy) -> None:
    """DuckDB stages two contracts at once: the error is still the first contract's (by
    name, as one at a time reported it), and nothing is loaded."""
    first = copy.raw / "ae" / "2024-04.csv"  # contract 'ae' sorts before 'mental_health'
    lines = lines_of(first)
    lines[2] = lines[2].rstrip(b"\r\n") + b",surplus\n"
    rewrite(first, lines)
    second = copy.raw / "mental_health" / "2024-04.csv"
    lines = lines_of(second)
    lines[3] = lines[3].rstrip(b"\r\n") + b",surplus\n"
    rewrite(second, lines)
    error = expect_refused(copy, "row 3, field '\\(extra\\)'")
    assert str(first) in str(error) and str(second) not in str(error)
