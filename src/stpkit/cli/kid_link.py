"""`stpkit kid link`: link a file of person records outside the build pipeline.

Deduplicates one CSV or Parquet file, or links it to a second file (a registry of one row
per person) with `--to`. Column names are given as options or in a small YAML file
(`--columns`, keys: id, forename, surname, dob, sex, postcode, nhs, extra, label). Writes
every input record with its cluster (person) id and match probability, prints the number of
comparisons each blocking rule made and, with a label column, pairwise precision, recall,
F1 and pair completeness, so a data processor can check the linkage on a labelled sample.
`--engine spark` trains and scores on Spark (local mode here) with the same model and
clustering (see `stpkit.kid.pipeline.linkage.spark`). With `--to`, `--known` gives records
known to belong to registered people (columns as RECORDS, plus `--known-id`, the person's
id in the registry: e.g. records whose NHS number was traced), from which the linker learns
its m probabilities and which errors come together (`stpkit.kid.pipeline.linkage.joint`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(help="Link person records in a CSV or Parquet file.")
console = Console()

KEYS = ("id", "forename", "surname", "dob", "sex", "postcode", "nhs", "label")


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]Not linked:[/red] {message}")
    return typer.Exit(2)


def _read_mapping(path: Path | None, options: dict[str, Any]) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    if path is not None:
        import yaml

        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise _fail(f"cannot read the column file {path}: {exc}") from exc
        if not isinstance(loaded, dict) or set(loaded) - {*KEYS, "extra"}:
            allowed = ", ".join((*KEYS, "extra"))
            raise _fail(f"the column file must be a mapping with keys among: {allowed}")
        mapping.update(loaded)
    mapping.update({k: v for k, v in options.items() if v})
    return mapping


def _load(con: Any, path: Path, table: str) -> int:
    if not path.is_file():
        raise _fail(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = f"read_csv('{path}', all_varchar=true, header=true)"
    elif suffix in (".parquet", ".pq"):
        reader = f"read_parquet('{path}')"
    else:
        raise _fail(f"{path.name}: only .csv and .parquet files can be linked")
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}").fetchall()
    except Exception as exc:  # duckdb's own message says what is wrong with the file
        raise _fail(f"cannot read {path.name}: {str(exc).splitlines()[0]}") from exc
    count = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    if count == 0:
        raise _fail(f"{path.name} has no records")
    return count


@app.command("link")
def link(
    records: Annotated[Path, typer.Argument(help="CSV or Parquet file of person records")],
    out: Annotated[Path, typer.Option(help="Output file (.csv or .parquet)")],
    to: Annotated[
        Path | None, typer.Option(help="Registry file to link RECORDS to (one row a person)")
    ] = None,
    columns: Annotated[Path | None, typer.Option(help="YAML file of column names")] = None,
    id_column: Annotated[str | None, typer.Option("--id", help="Unique record id column")] = None,
    forename: Annotated[str | None, typer.Option(help="Forename column")] = None,
    surname: Annotated[str | None, typer.Option(help="Surname column")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth column")] = None,
    sex: Annotated[str | None, typer.Option(help="Sex column")] = None,
    postcode: Annotated[str | None, typer.Option(help="Postcode column")] = None,
    nhs: Annotated[str | None, typer.Option(help="NHS number (or other person id) column")] = None,
    extra: Annotated[
        list[str] | None, typer.Option(help="Further column compared exactly (repeatable)")
    ] = None,
    label: Annotated[
        str | None, typer.Option(help="True person column, to score the linkage")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Match probability to link at (default 0.99 within a feed, 0.95 to a registry)"
        ),
    ] = None,
    review_store: Annotated[
        Path | None,
        typer.Option(
            help="Clerical review file (identifiable zone): queue uncertain pairs, apply decisions"
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Model file: reused if it exists (no training), else trained and saved"),
    ] = None,
    retrain: Annotated[bool, typer.Option(help="Train again even if --model exists")] = False,
    earlier: Annotated[
        Path | None,
        typer.Option(help="An earlier run's output: its records keep their cluster ids"),
    ] = None,
    report_by: Annotated[
        list[str] | None,
        typer.Option(help="Quality report per value of this column (feed, month; repeatable)"),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Write the linkage quality report (CSV, no identifiers)")
    ] = None,
    review_band: Annotated[
        tuple[float, float], typer.Option(help="Match probabilities queued for review: LOW HIGH")
    ] = (0.5, 0.99),
    engine: Annotated[
        str,
        typer.Option(help="Train and score on duckdb (in process) or spark (local or active)"),
    ] = "duckdb",
    known: Annotated[
        Path | None,
        typer.Option(help="With --to: records known to be registered people (CSV or Parquet)"),
    ] = None,
    known_id: Annotated[
        str, typer.Option(help="The --known file's column of the person's registry id")
    ] = "registry_id",
) -> None:
    """Link person records and write each record's cluster id and match probability."""
    import duckdb

    from stpkit.kid.pipeline.linkage import ColumnMap, LinkageInputError, link_records
    from stpkit.kid.pipeline.linkage.evaluate import pairwise_scores

    given = {
        "id": id_column,
        "forename": forename,
        "surname": surname,
        "dob": dob,
        "sex": sex,
        "postcode": postcode,
        "nhs": nhs,
        "label": label,
        "extra": extra,
    }
    names = _read_mapping(columns, given)
    if engine not in ("duckdb", "spark"):
        raise _fail(f"--engine must be duckdb or spark, not {engine!r}")
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise _fail("--out must end in .csv or .parquet")
    mapping = ColumnMap(
        unique_id=names.get("id"),
        forename=names.get("forename"),
        surname=names.get("surname"),
        date_of_birth=names.get("dob"),
        sex=names.get("sex"),
        postcode=names.get("postcode"),
        identifier=names.get("nhs"),
        extra=list(names.get("extra") or []),
        label=names.get("label"),
    )
    store = _store(review_store, review_band)
    started = engine == "spark" and _active_spark() is None  # stopped at the end if so
    con = duckdb.connect()
    try:
        n = _load(con, records, "records_in")
        if to is not None:
            _load(con, to, "registry_in")
        known_table = _known(con, known, known_id, to)
        try:
            result = link_records(
                con,
                "records_in",
                mapping,
                mode="link_to_registry" if to is not None else "dedupe",
                registry="registry_in" if to is not None else None,
                threshold=threshold,
                review=store,
                model_path=model,
                retrain=retrain,
                earlier=_earlier(con, earlier),
                backend=engine,
                known_matches=known_table,
            )
        except LinkageInputError as exc:
            raise _fail(str(exc)) from exc
        fmt = "(FORMAT parquet)" if out.suffix.lower() == ".parquet" else "(HEADER)"
        con.execute(
            f"COPY (SELECT unique_id AS record_id, cluster_id, round(match_probability, 6) "
            f"AS match_probability FROM {result.clusters} ORDER BY unique_id) TO '{out}' {fmt}"
        ).fetchall()
        console.print(result.summary())
        _quality(con, result.clusters, mapping.unique_id, list(report_by or []), report)
        console.print(f"{n:,} records in, {result.records:,} written to {out}")
        if mapping.label:
            scores = pairwise_scores(con, result.clusters, "cluster_id", "label")
            console.print(
                f"pairwise precision {scores.precision:.4f}, recall {scores.recall:.4f}, "
                f"F1 {scores.f1:.4f} ({scores.true_pairs:,} true pairs)"
            )
    finally:
        con.close()
        active = _active_spark() if started else None
        if active is not None:  # the session this command started, not a caller's
            active.stop()


def _active_spark() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # the spark backend then refuses with its own message
        return None
    return SparkSession.getActiveSession()


def _quality(
    con: Any, clusters: str, id_column: str | None, by: list[str], path: Path | None
) -> None:
    """Print (and with `path` write) the linkage quality report, per group if asked."""
    from stpkit.kid.pipeline.linkage.quality import format_report, quality_report

    groups = None
    if by:
        if not id_column:
            raise _fail("--report-by needs --id (records are matched to their group by id)")
        missing = [
            c for c in by if c not in {r[0] for r in con.execute("DESCRIBE records_in").fetchall()}
        ]
        if missing:
            raise _fail(f"--report-by column(s) {', '.join(missing)} not in the input")
        cols = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in by)
        con.execute(
            f'CREATE TABLE report_groups AS SELECT CAST("{id_column}" AS VARCHAR) AS unique_id, '
            f"{cols} FROM records_in"
        ).fetchall()
        groups = "report_groups"
    pairs = (
        "linkage_pairs"
        if "linkage_pairs" in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        else None
    )
    rows = quality_report(con, clusters, pairs, groups, tuple(by))
    console.print(format_report(rows))
    if path is not None:
        con.execute(f"COPY linkage_quality TO '{path}' (HEADER)").fetchall()


def _known(con: Any, path: Path | None, id_column: str, registry: Path | None) -> str | None:
    """Table `known_in` from the --known file, its registry ids as `registry_id`."""
    if path is None:
        return None
    if registry is None:
        raise _fail("--known needs --to: known matches are records of registered people")
    _load(con, path, "known_raw")
    have = {r[0] for r in con.execute("DESCRIBE known_raw").fetchall()}
    if id_column not in have:
        raise _fail(f"{path.name} has no column {id_column!r} (the person's registry id)")
    con.execute(
        f'CREATE TABLE known_in AS SELECT * EXCLUDE ("{id_column}"), '
        f'CAST("{id_column}" AS VARCHAR) AS registry_id FROM known_raw'
    ).fetchall()
    return "known_in"


def _earlier(con: Any, path: Path | None) -> dict[str, str] | None:
    """record_id -> cluster_id from an earlier output file."""
    if path is None:
        return None
    _load(con, path, "earlier_in")
    try:
        found = con.execute("SELECT record_id, cluster_id FROM earlier_in").fetchall()
    except Exception as exc:
        raise _fail(f"{path.name} must have record_id and cluster_id columns") from exc
    return {str(r): str(c) for r, c in found}


def _store(path: Path | None, band: tuple[float, float]) -> Any:
    if path is None:
        return None
    from stpkit.kid.pipeline.linkage import LinkageInputError
    from stpkit.kid.pipeline.linkage.review import ReviewStore

    try:
        return ReviewStore(path, band)
    except LinkageInputError as exc:
        raise _fail(str(exc)) from exc


review_app = typer.Typer(help="Clerical review of uncertain pairs (identifiable zone).")
StoreOption = Annotated[Path, typer.Option("--store", help="Clerical review file")]
LABELS = {
    "forename": "Forename",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "postcode": "Postcode",
    "identifier": "NHS number",
}


@review_app.command("list")
def review_list(
    store: StoreOption,
    limit: Annotated[int, typer.Option(help="How many pairs to show")] = 20,
) -> None:
    """Show undecided pairs, each with its two records side by side."""
    from rich.table import Table

    from stpkit.kid.pipeline.linkage.review import ReviewStore

    if not store.is_file():
        raise _fail(f"no review file at {store}")
    pending = ReviewStore(store).pending(limit)
    if not pending:
        console.print("No pairs are waiting for review.")
        return
    for pair in pending:
        table = Table(
            title=f"{pair.id_l}  /  {pair.id_r}   match probability {pair.match_probability:.1%}"
        )
        table.add_column("Field")
        table.add_column(pair.id_l)
        table.add_column(pair.id_r)
        for field, label in LABELS.items():
            left, right = pair.left.get(field) or "", pair.right.get(field) or ""
            mark = "" if left == right else "[yellow]"
            table.add_row(label, f"{mark}{left}", f"{mark}{right}")
        console.print(table)
    console.print(
        "Record a decision: stpkit kid review decide --store FILE ID1 ID2 match|non-match"
    )


@review_app.command("decide")
def review_decide(
    store: StoreOption,
    first: Annotated[str, typer.Argument(help="One record id of the pair")],
    second: Annotated[str, typer.Argument(help="The other record id")],
    decision: Annotated[str, typer.Argument(help="match or non-match")],
    by: Annotated[str, typer.Option(help="Who decided (kept with the decision)")] = "",
    note: Annotated[str, typer.Option(help="Why (kept with the decision)")] = "",
) -> None:
    """Record that a pair is one person (match) or two (non-match); every later run obeys."""
    from stpkit.kid.pipeline.linkage import LinkageInputError
    from stpkit.kid.pipeline.linkage.review import ReviewStore

    try:
        ReviewStore(store).decide(first, second, decision.replace("-", "_"), by, note)
    except LinkageInputError as exc:
        raise _fail(str(exc)) from exc
    console.print(f"Recorded: {first} and {second} are {decision.replace('_', '-')}.")
