"""The build's link stage: the standalone linker (`link_records`) applied to a build.

Records without a valid NHS number are first linked to the registry (the master patient
index); the identities no registered person matches are then deduplicated among themselves,
so an unregistered person's records share one provisional pseudonym. Both runs use:
- the clerical review decisions of the data processor (a `ReviewStore`, identifiable zone):
  a reviewed match is always linked, a reviewed non-match never;
- the model saved in the live store version (`linkage_model.json`, parameters only), reused
  unless a retrain is asked for, so a new month of records joins the same model;
- the live version's map of identity -> person (`linkage_map.parquet`, tokens only): an
  identity keeps the person it was linked to (a registered person still registered, or an
  unregistered person's provisional pseudonym), unless a reviewed decision says otherwise,
  so a person's pseudonym in build N+1 is build N's for the records it held.

Identities are read from the engine into an in-process DuckDB connection (the names, dates
of birth and postcodes never leave this process) and only tokens go back: the table
`linked_identity` (identity_key, person_token, link_method, match_weight, match_probability).
On the Spark engine the linker trains and scores on the engine's own session
(`link_records(backend="spark")`): the prepared identities go to the Spark that already
holds them and only ids and scores come back, so names still stay inside the build.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from stpkit.kid.pipeline.linkage.prepare import ColumnMap, LinkageInputError
from stpkit.kid.pipeline.linkage.sql import PERSON_SIDE, RECORD_SIDE, rows

if TYPE_CHECKING:
    from stpkit.kid.pipeline.duckdb_engine import Engine
    from stpkit.kid.pipeline.linkage.review import ReviewStore

MODEL_FILE = "linkage_model.json"
MAP_FILE = "linkage_map.parquet"
KNOWN_PEOPLE = 150_000  # registered people whose NHS-numbered records teach the patterns
LINK_MEMORY = "3GB"  # the link stage's own DuckDB, beside the engine's (4 GB by default)
ENGINE_MEMORY_DURING_LINK = "1GB"  # what the engine keeps meanwhile (the rest waits on disk)
MAPPING = ColumnMap(
    unique_id="unique_id",
    forename="forename",
    surname="surname",
    date_of_birth="date_of_birth",
    sex="sex",
    postcode="postcode",
)
LINKED_SCHEMA = pa.schema(
    [
        ("identity_key", pa.string()),
        ("person_token", pa.string()),
        ("link_method", pa.string()),
        ("match_weight", pa.float64()),
        ("match_probability", pa.float64()),
    ]
)


@dataclass
class BuildLinkage:
    """What the link stage did (counts only)."""

    identities: int = 0
    linked_to_registry: int = 0
    kept_from_earlier: int = 0
    provisional_people: int = 0
    comparisons: int = 0
    reviewed_applied: int = 0
    queued_for_review: int = 0
    model_reused: bool = False
    model_json: str | None = None  # the Splink model used (parameters only, no data)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The figures the manifest records beside the table counts."""
        return {
            "linkage_identities": self.identities,
            "linkage_linked_to_registry": self.linked_to_registry,
            "linkage_kept_from_earlier": self.kept_from_earlier,
            "linkage_provisional_people": self.provisional_people,
            "linkage_comparisons": self.comparisons,
            "linkage_reviewed_applied": self.reviewed_applied,
            "linkage_queued_for_review": self.queued_for_review,
        }


@dataclass(frozen=True)
class Earlier:
    """The live version's identity -> person map (empty for a first build)."""

    person: dict[str, str] = field(default_factory=dict)
    method: dict[str, str] = field(default_factory=dict)
    weight: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    @classmethod
    def read(cls, version_dir: Path | None) -> Earlier:
        path = version_dir / MAP_FILE if version_dir is not None else None
        if path is None or not path.is_file():
            return cls()
        table = pq.read_table(path).to_pylist()
        return cls(
            {r["identity_key"]: r["person_token"] for r in table},
            {r["identity_key"]: r["link_method"] for r in table},
            {r["identity_key"]: (r["match_weight"], r["match_probability"]) for r in table},
        )


def known_matches_sql(registered: int) -> str:
    """Identities of records whose valid NHS number is registered, with that person's token
    as `registry_id`: pairs known to match, from which the linker learns how often true
    matches show each pattern of errors (`joint.py`). A sample of KNOWN_PEOPLE people, chosen
    by their token (a keyed hash, so the choice is random and the same every build): the
    SQL runs on DuckDB and Spark alike."""
    share = KNOWN_PEOPLE / max(registered, 1)
    sample = (
        f" AND substr(a.nhs_token, 1, 2) < '{max(1, int(256 * share)):02x}'" if share < 1 else ""
    )
    return (
        "SELECT DISTINCT a.forename, a.surname, CAST(a.date_of_birth AS VARCHAR) AS "
        "date_of_birth, a.sex, a.postcode, a.nhs_token AS registry_id FROM activity_identity a "
        "JOIN registry_identity r ON a.nhs_token = r.person_token WHERE a.nhs_valid" + sample
    )


def saved_model(version_dir: Path | None) -> Path | None:
    """The live version's Splink model, if it is one (older stores saved another format)."""
    if version_dir is None or not (version_dir / MODEL_FILE).is_file():
        return None
    try:
        saved = json.loads((version_dir / MODEL_FILE).read_text(encoding="utf-8"))
    except ValueError:
        return None
    comparisons = saved.get("comparisons") if isinstance(saved, dict) else None
    return version_dir / MODEL_FILE if isinstance(comparisons, list) else None


def link_for_build(
    eng: Engine,
    live_version: Path | None = None,
    review: ReviewStore | None = None,
    retrain: bool = False,
) -> BuildLinkage:
    """Create `linked_identity` on the engine from `registry_identity` and
    `unlinked_identity`; the model used comes back as `model_json`."""
    import duckdb

    report = BuildLinkage()
    backend = "spark" if eng.name == "spark" else "duckdb"
    registry = eng.arrow(
        "SELECT person_token AS unique_id, forename, surname, "
        "CAST(date_of_birth AS VARCHAR) AS date_of_birth, sex, postcode FROM registry_identity"
    )
    records = eng.arrow(
        "SELECT identity_key AS unique_id, forename, surname, date_of_birth, sex, postcode "
        "FROM unlinked_identity"
    )
    report.identities = records.num_rows
    known = eng.arrow(known_matches_sql(eng.count("registry_identity")))
    earlier = Earlier.read(live_version)
    scratch = Path(tempfile.mkdtemp(prefix="stpkit-link-"))
    model_path = scratch / MODEL_FILE
    reuse = saved_model(live_version)
    if reuse is not None and not retrain:
        shutil.copyfile(reuse, model_path)
        report.model_reused = True
    with eng.lend_memory(ENGINE_MEMORY_DURING_LINK):
        con = duckdb.connect()
        try:
            # bounded beside the engine's own limit: beyond it DuckDB spills to the scratch folder
            rows(con, f"SET memory_limit = '{LINK_MEMORY}'")
            rows(con, f"SET temp_directory = '{scratch / 'spill'}'")
            con.register("__registry", registry)
            con.register("__records", records)
            rows(con, "CREATE TABLE build_registry AS SELECT * FROM __registry")
            rows(con, "CREATE TABLE build_records AS SELECT * FROM __records")
            con.register("__known", known)
            rows(con, "CREATE TABLE build_known AS SELECT * FROM __known")
            for name in ("__registry", "__records", "__known"):
                con.unregister(name)
            both = records.num_rows > 0 and registry.num_rows > 0
            del registry, records, known  # copied into the link's DuckDB: not held twice
            linked: list[dict[str, Any]] = []
            if both:
                try:
                    linked = _to_registry(
                        con, report, earlier, review, model_path, retrain, backend
                    )
                except LinkageInputError as exc:  # e.g. every identifying column empty
                    report.notes.append(f"not linked to the registry: {exc}")
            done = {r["identity_key"] for r in linked}
            linked += _provisional(con, report, earlier, review, model_path, done, backend)
            if model_path.is_file():
                report.model_json = model_path.read_text(encoding="utf-8")
        finally:
            con.close()
            shutil.rmtree(scratch, ignore_errors=True)
    eng.load_table("linked_identity", pa.Table.from_pylist(linked, schema=LINKED_SCHEMA))
    return report


def _to_registry(
    con: Any,
    report: BuildLinkage,
    earlier: Earlier,
    review: ReviewStore | None,
    model_path: Path,
    retrain: bool,
    backend: str = "duckdb",
) -> list[dict[str, Any]]:
    """Each identity's registered person (or none), earlier links kept where still valid."""
    from stpkit.kid.pipeline.linkage.link import link_records

    result = link_records(
        con,
        "build_records",
        MAPPING,
        mode="link_to_registry",
        registry="build_registry",
        review=review,
        model_path=model_path,
        retrain=retrain,
        out="build_registry_links",
        backend=backend,
        known_matches="build_known",
    )
    _account(report, result)
    found = rows(
        con,
        "SELECT c.unique_id, c.cluster_id, p.match_weight, c.match_probability "
        f"FROM build_registry_links c LEFT JOIN (SELECT {RECORD_SIDE} AS record, "
        f"{PERSON_SIDE} AS person, match_weight FROM linkage_pairs) p "
        "ON p.record = c.unique_id AND p.person = c.cluster_id "  # equality: a hash join
        "WHERE c.cluster_id <> c.unique_id",
    )
    now: dict[str, tuple[str, float | None, float | None]] = {
        ik: (tok, w, p) for ik, tok, w, p in found
    }
    registered = {r[0] for r in rows(con, "SELECT unique_id FROM build_registry")}
    decided = review.decisions() if review is not None else {}
    for (a, b), decision in sorted(decided.items()):  # also pairs blocking never scored
        identity, person = (a, b[9:]) if b.startswith("registry:") else (b, a[9:])
        linked_to = now.get(identity, (None,))[0]
        if decision == "match" and person in registered and linked_to != person:
            now[identity] = (person, None, None)
    out = []
    for (ik,) in rows(con, "SELECT unique_id FROM build_records ORDER BY unique_id"):
        before = earlier.person.get(ik)
        keep = (
            before is not None
            and earlier.method.get(ik) == "probabilistic"
            and before in registered
            and not _reviewed(decided, ik, before, "non_match")
            and not (ik in now and _reviewed(decided, ik, now[ik][0], "match"))
        )
        if keep and before is not None:  # `before` again for the type checker
            weight, probability = earlier.weight.get(ik, (None, None))
            if ik in now and now[ik][0] == before:
                weight, probability = now[ik][1], now[ik][2]
            else:
                report.kept_from_earlier += 1
            out.append(_row(ik, before, "probabilistic", weight, probability))
        elif ik in now:
            token, weight, probability = now[ik]
            out.append(_row(ik, token, "probabilistic", weight, probability))
    report.linked_to_registry = len(out)
    return out


def _reviewed(decided: dict[tuple[str, str], str], identity: str, person: str, kind: str) -> bool:
    registry_id = f"registry:{person}"
    pair = (identity, registry_id) if identity <= registry_id else (registry_id, identity)
    return decided.get(pair) == kind


def _provisional(
    con: Any,
    report: BuildLinkage,
    earlier: Earlier,
    review: ReviewStore | None,
    model_path: Path,
    done: set[str],
    backend: str = "duckdb",
) -> list[dict[str, Any]]:
    """The identities no registered person matches, deduplicated: one provisional
    pseudonym per unregistered person (an earlier one where its identities had one)."""
    from stpkit.kid.pipeline.linkage.link import link_records

    con.register("__done", pa.table({"unique_id": pa.array(sorted(done), pa.string())}))
    rows(
        con,
        "CREATE OR REPLACE TABLE build_rest AS SELECT * FROM build_records "
        "WHERE unique_id NOT IN (SELECT unique_id FROM __done)",
    )
    con.unregister("__done")
    rest = int(rows(con, "SELECT count(*) FROM build_rest")[0][0])
    if rest == 0:
        return []
    before = {
        ik: token
        for ik, token in earlier.person.items()
        if earlier.method.get(ik) == "provisional" and ik != token
    }
    labels = {r[0]: before.get(r[0], r[0]) for r in rows(con, "SELECT unique_id FROM build_rest")}
    if rest >= 2:
        try:
            result = link_records(
                con,
                "build_rest",
                MAPPING,
                mode="dedupe",
                review=review,
                model_path=model_path,
                earlier=before or None,
                out="build_rest_clusters",
                backend=backend,
            )
        except LinkageInputError as exc:  # too few or too bare to train: one person each
            report.notes.append(f"unregistered identities not deduplicated: {exc}")
        else:
            _account(report, result)
            labels = {
                str(a): str(b)
                for a, b in rows(con, "SELECT unique_id, cluster_id FROM build_rest_clusters")
            }
    report.provisional_people = len(set(labels.values()))
    return [_row(ik, token, "provisional", None, None) for ik, token in sorted(labels.items())]


def _account(report: BuildLinkage, result: Any) -> None:
    report.comparisons += result.comparisons
    report.reviewed_applied += result.reviewed_applied
    report.queued_for_review += result.queued_for_review
    report.notes.extend(result.notes)


def _row(
    identity: str, person: str, method: str, weight: float | None, probability: float | None
) -> dict[str, Any]:
    return {
        "identity_key": identity,
        "person_token": person,
        "link_method": method,
        "match_weight": None if weight is None else round(float(weight), 6),
        "match_probability": None if probability is None else round(float(probability), 6),
    }
