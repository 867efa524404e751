"""Demand for an acute service by LSOA of residence, for the configuration model.

A service reconfiguration (where A&E, acute medicine, emergency surgery or elective
orthopaedics are provided) is modelled on a year's activity by LSOA (`stroke.service`).
The counts come from the store's own codes (`SERVICE_DEFINITIONS`: setting, A&E
department type, admission method, HRG) and leave the pseudonymised zone the way every
governed output does:

- the analyst's purpose must allow `person` and `activity`; the use, or the refusal, goes
  into the audit log under that purpose (so the counts stay inside the analyst's governed
  query log, not in a free-standing file);
- each LSOA's count passes the purpose's disclosure policy: a count the policy suppresses
  or redacts is not released;
- so that small LSOAs are not modelled as having no demand (which would move every
  planned journey towards the big ones), what the suppressed cells hold together, the
  *released* total less the released cells, is shared among them in proportion to their
  resident population (ONS mid-2015, the IoD 2019 denominators, public). That remainder is
  a difference of published figures, so it discloses nothing new, and the split uses no
  count from the store.

Counts are by the person's LSOA (the registered address, as every governed query groups
them), for one calendar year of activity, and can be scaled (a sample store to the
partnership's population) after protection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from stpkit.disclosure import policy_named
from stpkit.kid.errors import StoreError
from stpkit.kid.governed.governance import Governance, GovernanceError
from stpkit.kid.pipeline import codes
from stpkit.kid.pipeline.insight_store import InsightStore


@dataclass(frozen=True)
class ServiceDefinition:
    """Which activity counts as demand for a service, in the store's own codes; an empty
    tuple means any value of that field."""

    key: str
    name: str
    setting: str  # ae | apc
    department_types: tuple[str, ...] = ()
    admission_methods: tuple[str, ...] = ()
    hrgs: tuple[str, ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        """SQL conditions on the store's activity table (alias a) and their parameters."""
        parts = ["a.setting = ?"]
        params: list[Any] = [self.setting]
        for column, values in (
            ("department_type", self.department_types),
            ("admission_method", self.admission_methods),
            ("hrg", self.hrgs),
        ):
            if values:
                parts.append(f"a.{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        return " AND ".join(parts), params

    def describe(self) -> str:
        bits = [f"setting {self.setting}"]
        if self.department_types:
            bits.append(f"department type {', '.join(self.department_types)}")
        if self.admission_methods:
            bits.append(f"admission method {', '.join(self.admission_methods)}")
        if self.hrgs:
            bits.append(f"HRG {', '.join(self.hrgs)}")
        return "; ".join(bits)


# Admitted-patient HRGs (codes.APC_HRG) by the kind of care they are: medical conditions
# (stroke, TIA, heart failure, AF, COPD, pneumonia, GI bleed, CKD, sepsis, MI), surgical
# emergencies (gallstone procedures, hip fracture) and orthopaedic procedures (knee,
# hip: HRG chapter H).
MEDICAL_HRGS = ("AA35A", "AA35C", "EB03A", "EB07C", "DZ65A", "DZ11B", "FD10A", "LA04A",
                "WJ06A", "EB14A")  # fmt: skip
EMERGENCY_SURGERY_HRGS = ("FF12A", "HN12A")
ORTHOPAEDIC_HRGS = ("HC04A", "HN12A")

SERVICE_DEFINITIONS: dict[str, ServiceDefinition] = {
    d.key: d
    for d in (
        # type 1: the consultant-led 24-hour departments a reconfiguration moves
        ServiceDefinition("ae", "A&E attendances (type 1)", "ae", department_types=("01",)),
        ServiceDefinition(
            "emergency_medicine",
            "Emergency medical admissions",
            "apc",
            admission_methods=codes.ADMISSION_METHOD_EMERGENCY,
            hrgs=MEDICAL_HRGS,
        ),
        ServiceDefinition(
            "emergency_surgery",
            "Emergency surgical admissions",
            "apc",
            admission_methods=codes.ADMISSION_METHOD_EMERGENCY,
            hrgs=EMERGENCY_SURGERY_HRGS,
        ),
        ServiceDefinition(
            "elective_orthopaedics",
            "Elective orthopaedic admissions",
            "apc",
            admission_methods=codes.ADMISSION_METHOD_ELECTIVE,
            hrgs=ORTHOPAEDIC_HRGS,
        ),
    )
}


@dataclass(frozen=True)
class ServiceDemand:
    """A service's demand by LSOA as released: `table` has lsoa_code, released (the
    policy's value, None where suppressed), demand (released, or the suppressed cells'
    share of the remainder; scaled) and small (the cell was not released)."""

    definition: ServiceDefinition
    year: int
    policy: str
    scale: float
    table: pd.DataFrame
    total: float  # the released total, scaled
    small_lsoas: int  # LSOAs whose count was not released

    def demand(self) -> pd.DataFrame:
        """lsoa_code and demand (a year), as `stroke.service.demand_from_table` takes."""
        return self.table[["lsoa_code", "demand"]].copy()

    def describe(self) -> str:
        return (
            f"{self.definition.name} in {self.year} by LSOA ({self.definition.describe()}): "
            f"{self.total:,.0f} a year, {self.policy} disclosure rule; {self.small_lsoas:,} of "
            f"{len(self.table):,} LSOAs had counts not released, given their share of the "
            "rest of the released total by population"
        )


def _activity_source(store: InsightStore) -> str:
    """The pipeline store's activity table (with its codes); a sample store has none."""
    from stpkit.kid.pipeline.store import current_version

    version = current_version(store.path)
    if version is None:
        raise StoreError(
            f"{store.path}: service demand needs a pipeline store (stpkit kid build); a sample "
            "store carries no department type, admission method or HRG"
        )
    path = version.table_path("activity").replace("'", "''")
    return f"read_parquet('{path}', hive_partitioning = true, hive_types = {{'month': VARCHAR}})"


def raw_counts(store: InsightStore, definition: ServiceDefinition, year: int) -> pd.DataFrame:
    """Unprotected counts by LSOA (lsoa_code, n): only for use inside the pseudonymised zone.
    Every LSOA the store has residents in is listed (0 where none)."""
    where, params = definition.where()
    source = _activity_source(store)
    return store.con.execute(
        "WITH c AS (SELECT p.lsoa_code, count(*) AS n "
        f"FROM {source} a JOIN person p USING (person_token) "
        f"WHERE {where} AND year(a.activity_date) = ? AND p.lsoa_code IS NOT NULL GROUP BY 1) "
        "SELECT l.lsoa_code, coalesce(c.n, 0) AS n FROM "
        "(SELECT DISTINCT lsoa_code FROM person WHERE lsoa_code IS NOT NULL) l "
        "LEFT JOIN c USING (lsoa_code) ORDER BY 1",
        [*params, year],
    ).df()


def _population(lsoa_codes: list[str]) -> pd.Series:
    from stpkit.reference import public

    pop = public.imd(lsoa_codes).set_index("lsoa_code")["population"]
    return pop.reindex(lsoa_codes).fillna(0).astype(float)


def service_demand(
    store: InsightStore,
    governance: Governance,
    service: str,
    *,
    user: str,
    role: str,
    purpose_key: str,
    year: int | None = None,
    scale: float = 1.0,
) -> ServiceDemand:
    """`service`'s demand by LSOA under the analyst's purpose, disclosure-controlled and
    logged. `year` defaults to the store's latest; `scale` multiplies the released figures
    (a sample store to the partnership's population)."""
    definition = SERVICE_DEFINITIONS.get(service)
    if definition is None:
        raise GovernanceError(
            f"unknown service {service!r}; choose from {', '.join(SERVICE_DEFINITIONS)}"
        )
    if not scale > 0:
        raise GovernanceError(f"scale must be more than 0, got {scale!r}")
    years = store.years()
    year = years[-1] if year is None else year
    what = f"service demand {service} by lsoa_code in {year}"
    purpose = governance.authorise(
        user=user, role=role, purpose_key=purpose_key, tables=("person", "activity"), what=what
    )
    if year not in years:
        raise GovernanceError(
            f"{store.path}: no activity in {year}; years held: {', '.join(map(str, years))}"
        )
    policy = policy_named(purpose.disclosure_policy)
    raw = raw_counts(store, definition, year)
    released = [policy.apply(int(n)) for n in raw.n]
    small = [v is None or v == 0 for v in released]
    total = policy.apply(int(raw.n.sum())) or 0
    shown = sum(v or 0 for v in released)
    remainder = max(total - shown, 0)
    codes_ = [str(c) for c in raw.lsoa_code]
    pop = _population(codes_)
    small_pop = pop[small]
    share = (
        small_pop / small_pop.sum()
        if small_pop.sum() > 0
        else pd.Series(1.0 / max(len(small_pop), 1), index=small_pop.index)
    )
    demand = [
        float(share[c] * remainder) if s else float(v or 0)
        for c, v, s in zip(codes_, released, small, strict=True)
    ]
    table = pd.DataFrame(
        {
            "lsoa_code": codes_,
            "released": pd.array(released, dtype="Int64"),
            "demand": [d * scale for d in demand],
            "small": small,
        }
    )
    result = ServiceDemand(
        definition,
        year,
        policy.name,
        scale,
        table,
        total=float(max(total, shown)) * scale,
        small_lsoas=int(sum(small)),
    )
    governance.log(user, role, purpose_key, "query", result.describe(), len(table))
    return result


__all__ = [
    "SERVICE_DEFINITIONS",
    "ServiceDefinition",
    "ServiceDemand",
    "raw_counts",
    "service_demand",
]
