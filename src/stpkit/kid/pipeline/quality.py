"""Linkage quality against the synthetic ground truth (precision and recall of assignment).

Only meaningful for synthetic data: it reads the generator's truth directory (true person
of every record, with their NHS number) and the pseudonym key, so it belongs to testing
and benchmarking, never to the pseudonymised zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from stpkit.kid.pipeline.pseudonymise import PseudonymKey
from stpkit.kid.pipeline.store import open_store


@dataclass(frozen=True)
class LinkageQuality:
    """Person assignment of activity records, all records and probabilistic ones only."""

    records: int
    precision: float  # of records assigned to a registered person, share assigned correctly
    recall: float  # of records whose person is registered, share assigned to them
    needing_linkage: int  # records without a valid NHS number (from a registered person)
    probabilistic_precision: float
    probabilistic_recall: float
    # share of all activity records by how they were linked (sums to 1)
    nhs_number_share: float = 0.0
    probabilistic_share: float = 0.0
    provisional_share: float = 0.0


def linkage_quality(store_dir: Path, truth_dir: Path, key: PseudonymKey) -> LinkageQuality:
    people = pq.read_table(
        truth_dir / "people.parquet", columns=["person_id", "nhs_number", "registered"]
    )
    tokens = [key.token(str(n)) for n in people["nhs_number"].to_pylist()]
    truth_people = pa.table(
        {"person_id": people["person_id"], "true_token": tokens, "registered": people["registered"]}
    )
    con = open_store(store_dir)
    con.register("truth_people", truth_people)
    con.register("truth_records", pq.read_table(truth_dir / "records.parquet"))
    row = con.execute(
        """
        WITH j AS (
            SELECT a.person_token, a.link_method, p.true_token, p.registered,
                   a.person_token IN (SELECT person_token FROM person) AS assigned_registered
            FROM activity a
            JOIN truth_records t ON t.provider = a.provider AND t.record_id = a.record_id
            JOIN truth_people p ON p.person_id = t.person_id
        )
        SELECT count(*),
          sum(CASE WHEN assigned_registered AND person_token = true_token THEN 1 ELSE 0 END),
          sum(CASE WHEN assigned_registered THEN 1 ELSE 0 END),
          sum(CASE WHEN registered THEN 1 ELSE 0 END),
          sum(CASE WHEN registered AND link_method <> 'nhs_number' THEN 1 ELSE 0 END),
          sum(CASE WHEN link_method = 'probabilistic' AND person_token = true_token
              THEN 1 ELSE 0 END),
          sum(CASE WHEN link_method = 'probabilistic' THEN 1 ELSE 0 END)
        FROM j
        """
    ).fetchall()[0]
    n, correct, assigned, registered, needing, p_correct, p_assigned = (int(v or 0) for v in row)
    shares = dict(
        con.execute(
            "SELECT link_method, count(*) / sum(count(*)) OVER () FROM activity GROUP BY ALL"
        ).fetchall()
    )
    con.close()
    return LinkageQuality(
        records=n,
        precision=correct / assigned if assigned else 1.0,
        recall=correct / registered if registered else 1.0,
        needing_linkage=needing,
        probabilistic_precision=p_correct / p_assigned if p_assigned else 1.0,
        probabilistic_recall=p_correct / needing if needing else 1.0,
        nhs_number_share=float(shares.get("nhs_number", 0.0)),
        probabilistic_share=float(shares.get("probabilistic", 0.0)),
        provisional_share=float(shares.get("provisional", 0.0)),
    )
