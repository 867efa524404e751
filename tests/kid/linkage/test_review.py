"""Clerical review: uncertain pairs are queued in the review file; decisions bind later runs.

One feed is linked twice through `stpkit kid link --review-store`: the first run queues
pairs; a reviewed non-match between two records the model merged, and a reviewed match
between twins the model keeps apart, then decide the second run in both directions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from stpkit.cli import kid_link
from stpkit.kid.pipeline.linkage import LinkageInputError
from stpkit.kid.pipeline.linkage.review import ReviewStore
from stpkit.kid.sources.person_faults import FaultSpec, person_records
from tests.kid.linkage.test_link import _household

runner = CliRunner()
COLUMNS = (
    "id: record_id\nforename: forename\nsurname: surname\ndob: date_of_birth\n"
    "postcode: postcode\nsex: sex\nnhs: nhs_number\n"
)


def _app() -> typer.Typer:
    app = typer.Typer()
    kid = typer.Typer()
    kid.command("link")(kid_link.link)
    kid.add_typer(kid_link.review_app, name="review")
    app.add_typer(kid, name="kid")
    return app


def _link(tmp_path: Path, out: str) -> dict[str, str]:
    result = runner.invoke(
        _app(),
        [
            "kid", "link", str(tmp_path / "feed.csv"), "--out", str(tmp_path / out),
            "--columns", str(tmp_path / "cols.yaml"),
            "--review-store", str(tmp_path / "review.duckdb"), "--review-band", "0.05", "0.99",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "clerical review" in result.output
    with (tmp_path / out).open() as handle:
        return {r["record_id"]: r["cluster_id"] for r in csv.DictReader(handle)}


def test_decisions_are_reused_both_ways(tmp_path: Path) -> None:
    records = person_records(FaultSpec(people=60, seed=2))
    fields = list(records[0])
    household = [{f: h.get(f) or "" for f in fields} for h in _household()]
    with (tmp_path / "feed.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records + household)
    (tmp_path / "cols.yaml").write_text(COLUMNS)

    first = _link(tmp_path, "first.csv")
    assert first["mum"] == first["mum2"] and first["t1a"] != first["t2a"]
    store = ReviewStore(tmp_path / "review.duckdb")
    queued = store.pending(limit=10_000)
    assert queued and all(0.05 <= p.match_probability < 0.99 for p in queued)
    listing = runner.invoke(_app(), ["kid", "review", "list", "--store", str(store.path)])
    assert listing.exit_code == 0 and "Date of birth" in listing.output, listing.output
    assert queued[0].id_l in listing.output and queued[0].id_r in listing.output

    for a, b, decision in (("mum2", "mum", "non-match"), ("t1a", "t2a", "match")):
        decided = runner.invoke(
            _app(), ["kid", "review", "decide", "--store", str(store.path), a, b, decision]
        )
        assert decided.exit_code == 0, decided.output
    assert store.decisions() == {("mum", "mum2"): "non_match", ("t1a", "t2a"): "match"}

    second = _link(tmp_path, "second.csv")
    assert second["mum"] != second["mum2"]  # a reviewed non-match is never merged
    assert second["t1a"] == second["t2a"]  # a reviewed match is always merged
    pending = {(p.id_l, p.id_r) for p in store.pending(limit=10_000)}
    assert ("mum", "mum2") not in pending and ("t1a", "t2a") not in pending


def test_bad_decisions_and_bands_are_refused(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path / "r.duckdb")
    with pytest.raises(LinkageInputError, match="match or non_match"):
        store.decide("a", "b", "maybe")
    with pytest.raises(LinkageInputError, match="two different"):
        store.decide("a", "a", "match")
    with pytest.raises(LinkageInputError, match="review band"):
        ReviewStore(tmp_path / "r.duckdb", (0.9, 0.5))
    result = runner.invoke(
        _app(), ["kid", "review", "decide", "--store", str(store.path), "a", "b", "perhaps"]
    )
    assert result.exit_code == 2 and "match or non_match" in result.output
