"""Linkage quality where no truth is known: aggregates only, no identifiers.

For each group of records (a feed, a month, or both), from a finished link run:
- `records`, `linked` (records in a cluster with another record) and their share;
- `method`: how each linked record's strongest link inside its cluster was made: NHS
  number (identifiers agree), deterministic (forename, surname and date of birth agree
  exactly) or probabilistic (the model alone);
- `match_weight`: the distribution of that strongest link's match weight (bands);
- `cluster_size`: records by the size of the cluster they are in;
- `estimated_false_match_rate`: the model's own expectation of wrong links among linked
  records, the mean of (1 - match probability) of their strongest links. It is only as good
  as the model's calibration, but it moves when a feed's quality changes.

The result is a table `(group columns..., measure, band, value)` that the build can store
and the governed layer can read; it never holds a record id, name or date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stpkit.kid.pipeline.linkage.sql import rows

WEIGHT_BANDS = ((None, 0), (0, 5), (5, 10), (10, 15), (15, 20), (20, None))
SIZE_BANDS = ((1, 1), (2, 2), (3, 5), (6, 10), (11, None))


@dataclass(frozen=True)
class QualityRow:
    group: tuple[str, ...]
    measure: str
    band: str
    value: float


def band_sql(column: str, bands: tuple[tuple[int | None, int | None], ...], fmt: str) -> str:
    """CASE giving each value its band label: the one labelling of match weights ("weight")
    and cluster sizes ("size") for `kid link --report-by` and the build's own report."""
    cases = []
    for low, high in bands:
        if low is None:
            cases.append(f"WHEN {column} < {high} THEN 'below {high}'")
        elif high is None:
            cases.append(f"WHEN {column} >= {low} THEN '{low} or more'")
        elif fmt == "size" and low == high:
            cases.append(f"WHEN {column} = {low} THEN '{low}'")
        elif fmt == "size":
            cases.append(f"WHEN {column} BETWEEN {low} AND {high} THEN '{low} to {high}'")
        else:
            cases.append(f"WHEN {column} >= {low} AND {column} < {high} THEN '{low} to {high}'")
    return "CASE " + " ".join(cases) + " END"


def quality_report(
    con: Any,
    clusters: str,
    pairs: str | None,
    groups: str | None = None,
    by: tuple[str, ...] = (),
    out: str = "linkage_quality",
) -> list[QualityRow]:
    """Write table `out` and return its rows. `groups` is a table (unique_id, *by) giving
    each record's feed/month; without it every record is one group ('all')."""
    keys = list(by) if groups else []
    group_cols = ", ".join(f"g.{k}" for k in keys) if keys else "'all' AS grp"
    group_names = keys or ["grp"]
    join_groups = f"JOIN {groups} g ON g.unique_id = c.unique_id" if groups else ""
    gammas = {r[0] for r in rows(con, f"DESCRIBE {pairs}")} if pairs else set()

    def exact(column: str, level: int) -> str:
        return f"gamma_{column} = {level}" if f"gamma_{column}" in gammas else "FALSE"

    method = (
        f"CASE WHEN {exact('identifier', 3)} THEN 'NHS number' "
        f"WHEN {exact('forename', 8)} AND {exact('surname', 5)} "
        f"AND {exact('date_of_birth', 5)} THEN 'deterministic' ELSE 'probabilistic' END"
    )
    if pairs:
        best = (
            "SELECT id, match_weight, match_probability, method FROM (SELECT *, row_number() "
            "OVER (PARTITION BY id ORDER BY match_weight DESC) AS k FROM ("
            f"SELECT p.unique_id_l AS id, p.match_weight, p.match_probability, {method} "
            f"AS method FROM {pairs} p JOIN {clusters} a ON a.unique_id = p.unique_id_l "
            f"JOIN {clusters} b ON b.unique_id = p.unique_id_r WHERE a.cluster_id = b.cluster_id "
            f"UNION ALL SELECT p.unique_id_r, p.match_weight, p.match_probability, {method} "
            f"FROM {pairs} p JOIN {clusters} a ON a.unique_id = p.unique_id_l "
            f"JOIN {clusters} b ON b.unique_id = p.unique_id_r "
            "WHERE a.cluster_id = b.cluster_id)) WHERE k = 1"
        )
    else:
        best = (
            "SELECT NULL::VARCHAR AS id, NULL::DOUBLE AS match_weight, "
            "NULL::DOUBLE AS match_probability, NULL::VARCHAR AS method WHERE FALSE"
        )
    rows(
        con,
        f"CREATE OR REPLACE TEMP TABLE __quality_base AS SELECT {group_cols}, "
        "s.n AS cluster_size, b.match_weight, b.match_probability, b.method "
        f"FROM {clusters} c {join_groups} "
        f"JOIN (SELECT cluster_id, count(*) AS n FROM {clusters} GROUP BY cluster_id) s "
        f"ON s.cluster_id = c.cluster_id LEFT JOIN ({best}) b ON b.id = c.unique_id",
    )
    g = ", ".join(group_names)
    linked = "cluster_size > 1"
    parts = [
        f"SELECT {g}, 'records' AS measure, '' AS band, count(*)::DOUBLE AS value "
        f"FROM __quality_base GROUP BY ALL",
        f"SELECT {g}, 'linked', '', count(*) FILTER (WHERE {linked})::DOUBLE "
        "FROM __quality_base GROUP BY ALL",
        f"SELECT {g}, 'share linked', '', avg(CASE WHEN {linked} THEN 1 ELSE 0 END) "
        "FROM __quality_base GROUP BY ALL",
        f"SELECT {g}, 'method', method, count(*)::DOUBLE FROM __quality_base "
        "WHERE method IS NOT NULL GROUP BY ALL",
        f"SELECT {g}, 'match weight', {band_sql('match_weight', WEIGHT_BANDS, 'w')}, "
        "count(*)::DOUBLE FROM __quality_base WHERE match_weight IS NOT NULL GROUP BY ALL",
        f"SELECT {g}, 'cluster size', {band_sql('cluster_size', SIZE_BANDS, 'size')}, "
        "count(*)::DOUBLE FROM __quality_base GROUP BY ALL",
        f"SELECT {g}, 'estimated false-match rate', '', coalesce(avg(1 - match_probability), 0) "
        "FROM __quality_base WHERE match_probability IS NOT NULL GROUP BY ALL",
    ]
    rows(
        con,
        f"CREATE OR REPLACE TABLE {out} AS SELECT * FROM ("
        + " UNION ALL ".join(parts)
        + f") ORDER BY {g}, measure, band",
    )
    rows(con, "DROP TABLE __quality_base")
    found = rows(con, f"SELECT * FROM {out}")
    width = len(group_names)
    return [
        QualityRow(tuple(str(v) for v in r[:width]), r[width], r[width + 1], float(r[width + 2]))
        for r in found
    ]


def format_report(report: list[QualityRow]) -> str:
    """Plain-text report, one block per group."""
    lines: list[str] = []
    current: tuple[str, ...] | None = None
    for row in report:
        if row.group != current:
            current = row.group
            lines.append(f"linkage quality: {' / '.join(current)}")
        value = (
            f"{row.value:.1%}"
            if row.measure in ("share linked", "estimated false-match rate")
            else f"{row.value:,.0f}"
        )
        band = f" {row.band}" if row.band else ""
        lines.append(f"  {row.measure}{band}: {value}")
    return "\n".join(lines)
