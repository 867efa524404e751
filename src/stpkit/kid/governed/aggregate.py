"""What an analyst may ask of the store: a table, a grouping and filters on known dimensions.

Kept apart from running and protecting queries so that the ledger of releases and the
differencing check (which compare queries) and the query service share one definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stpkit.kid.governed.governance import GovernanceError

# dimension -> (SQL expression over the query's table, tables it applies to)
DIMENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age_band": ("p.age_band", ("person", "activity")),
    "sex": ("p.sex", ("person", "activity")),
    "practice_code": ("p.practice_code", ("person", "activity")),
    "lsoa_code": ("p.lsoa_code", ("person", "activity")),
    "locality": ("p.locality", ("person", "activity")),
    "setting": ("a.setting", ("activity",)),
    "year": ("CAST(a.year AS VARCHAR)", ("activity",)),
    "provider": ("a.provider", ("activity",)),
    "emergency": ("CAST(a.emergency AS VARCHAR)", ("activity",)),
}
MAX_GROUPS = 3
MAX_FILTER_VALUES = 200


class QueryError(GovernanceError):
    """A query names an unknown table, dimension or value (which one, and why)."""


@dataclass(frozen=True)
class AggregateQuery:
    table: str
    group_by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def build(
        cls,
        table: str,
        group_by: Sequence[str] = (),
        filters: Mapping[str, Iterable[str]] | None = None,
    ) -> AggregateQuery:
        q = cls(
            table,
            tuple(group_by),
            tuple(
                sorted(
                    (d, tuple(sorted({str(v) for v in vs}))) for d, vs in (filters or {}).items()
                )
            ),
        )
        q.check()
        return q

    def check(self) -> None:
        if self.table not in {"person", "activity"}:
            raise QueryError(f"table must be 'person' or 'activity', not {self.table!r}")
        if len(self.group_by) > MAX_GROUPS or len(set(self.group_by)) != len(self.group_by):
            raise QueryError(
                f"group by at most {MAX_GROUPS} different dimensions, got {list(self.group_by)}"
            )
        for dim in [*self.group_by, *(d for d, _ in self.filters)]:
            if dim not in DIMENSIONS:
                raise QueryError(f"unknown dimension {dim!r}; choose from {', '.join(DIMENSIONS)}")
            if self.table not in DIMENSIONS[dim][1]:
                raise QueryError(f"dimension {dim!r} does not apply to table {self.table!r}")
        for dim, values in self.filters:
            if not values or len(values) > MAX_FILTER_VALUES:
                raise QueryError(
                    f"filter {dim!r} needs 1 to {MAX_FILTER_VALUES} values, got {len(values)}"
                )

    @property
    def tables(self) -> tuple[str, ...]:
        return ("person",) if self.table == "person" else ("person", "activity")

    def describe(self) -> str:
        by = ", ".join(self.group_by) or "nothing"
        where = "; ".join(f"{d} in {list(v)}" for d, v in self.filters) or "everyone"
        return f"{self.table} by {by} where {where}"

    def within(self, other: AggregateQuery) -> bool:
        """True if this query's population is contained in `other`'s (by its filters)."""
        mine = dict(self.filters)
        for dim, values in other.filters:
            if dim not in mine or not set(mine[dim]) <= set(values):
                return False
        return True
