"""The main synthetic extracts carry the faults real feeds have (issue 15), with the truth.

Each fault is found by comparing an extract's record with its true person (ground truth),
so the test checks the faults are really in the delivered files, not just configured.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from stpkit.kid.pipeline.contracts import ACTIVITY_CONTRACTS
from stpkit.kid.sources.person_faults import nickname_variants

from .pipeline_helpers import make_raw

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> Counter[str]:
    root = tmp_path_factory.mktemp("kid-faults")
    synth = make_raw(root, people=1500, seed=5)
    people = {
        p["person_id"]: p for p in pq.read_table(synth.truth_dir / "people.parquet").to_pylist()
    }
    truth = {
        (r["provider"], r["record_id"]): r["person_id"]
        for r in pq.read_table(synth.truth_dir / "records.parquet").to_pylist()
    }
    nicknames = {k.title(): {v.title() for v in vs} for k, vs in nickname_variants().items()}
    seen: Counter[str] = Counter()
    for contract in ACTIVITY_CONTRACTS:
        cols = contract.columns
        for path in sorted((Path(synth.raw_dir) / contract.folder).glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    person = people[truth[(contract.name, row[cols["record_id"]])]]
                    fore, sur = row[cols["forename"]], row[cols["surname"]]
                    if fore in nicknames.get(person["forename"], set()):
                        seen["nickname"] += 1
                    if (fore, sur) == (person["surname"], person["forename"]):
                        seen["names swapped"] += 1
                    if not row[cols["date_of_birth"]].strip():
                        seen["missing date of birth"] += 1
                    if not row[cols["postcode"]].strip():
                        seen["missing postcode"] += 1
                    if fore != person["forename"] and sur != person["surname"]:
                        seen["both names differ"] += 1
                    postcode = row[cols["postcode"]]
                    if postcode and postcode not in (
                        person["postcode_old"],
                        person["postcode_new"],
                    ):
                        seen["another address"] += 1
    registered = [p for p in people.values() if p["registered"]]
    homes = Counter((p["surname"], p["date_of_birth"], p["postcode_new"]) for p in registered)
    seen["twins"] = sum(1 for n in homes.values() if n >= 2)
    by_address = Counter((p["postcode_new"], p["surname"]) for p in registered)
    seen["households sharing a surname"] = sum(1 for n in by_address.values() if n >= 2)
    surnames = Counter(p["surname"] for p in registered).most_common()
    seen["commonest surname share %"] = round(100 * surnames[0][1] / len(registered))
    seen["median surname share %"] = round(100 * surnames[len(surnames) // 2][1] / len(registered))
    return seen


@pytest.mark.parametrize(
    "fault",
    [
        "nickname",
        "names swapped",
        "missing date of birth",
        "missing postcode",
        "both names differ",
        "another address",
        "twins",
        "households sharing a surname",
    ],
)
def test_each_fault_is_in_the_extracts(found: Counter[str], fault: str) -> None:
    assert found[fault] >= 3, found


def test_common_surnames_are_much_commoner_than_the_median(found: Counter[str]) -> None:
    assert found["commonest surname share %"] >= 3 * max(found["median surname share %"], 1)
