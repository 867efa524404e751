"""Capital and recurring revenue of a configuration, against the capital available, with
the net present cost over the appraisal period (HM Treasury Green Book discounting).

- **Capital**: works to create a HASU at each site that hosts one, plus a cost per HASU
  bed, from an editable cost table (`data/capital_costs.csv`, or a user's CSV with the same
  columns: `site_code, site, hasu_works_gbp, per_bed_gbp, source`; the row `*` prices a
  site the table does not list). Spent in year 0.
- **Revenue** a year: staff (consultants, registered and unregistered nurses, therapists,
  from `capacity`) at a cost per WTE with on-costs, and non-pay per staffed bed.
- **Net present cost**: capital in year 0 and revenue in years 1..N discounted at the Green
  Book social time preference rate, 3.5% a year (years 0-30), over N years (default 10).

The figures shipped are illustrative planning figures, labelled as such in the table: the
point is the mechanism; a business case replaces them with its own.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stpkit.stroke.capacity import UnitCapacity
from stpkit.stroke.errors import StrokeError

COST_TABLE = Path(__file__).parent / "data" / "capital_costs.csv"
COLUMNS = ("site_code", "site", "hasu_works_gbp", "per_bed_gbp", "source")
GREEN_BOOK_RATE = 0.035


@dataclass(frozen=True)
class SiteCost:
    code: str
    site: str
    hasu_works: float
    per_bed: float
    source: str


@dataclass(frozen=True)
class CostAssumptions:
    """Revenue unit costs (GBP a year, with on-costs), the capital available and the
    appraisal period. Illustrative defaults; every one is editable."""

    consultant_per_wte: float = 140_000.0
    registered_nurse_per_wte: float = 48_000.0
    unregistered_nurse_per_wte: float = 30_000.0
    therapist_per_wte: float = 45_000.0
    non_pay_per_bed: float = 25_000.0
    capital_available: float = 35_000_000.0
    years: int = 10
    discount_rate: float = GREEN_BOOK_RATE


def read_cost_table(path: Path | str = COST_TABLE) -> dict[str, SiteCost]:
    """The cost table by site code (`*` for the default). Errors name the file, row and
    column."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise StrokeError(f"{p}: cannot be read ({exc.strerror})") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or set(COLUMNS) - set(rows[0]):
        raise StrokeError(f"{p}: needs the columns {', '.join(COLUMNS)}")
    out: dict[str, SiteCost] = {}
    for n, row in enumerate(rows, start=2):
        code = (row["site_code"] or "").strip()
        if not code:
            raise StrokeError(f"{p}, row {n}: site_code is empty")
        if code in out:
            raise StrokeError(f"{p}, row {n}: site_code {code!r} is listed twice")
        values = []
        for col in ("hasu_works_gbp", "per_bed_gbp"):
            try:
                v = float(row[col])
            except (TypeError, ValueError):
                raise StrokeError(f"{p}, row {n}, {col}: {row[col]!r} is not a number") from None
            if v < 0:
                raise StrokeError(f"{p}, row {n}, {col}: {v:g} is negative")
            values.append(v)
        out[code] = SiteCost(code, row["site"].strip(), values[0], values[1], row["source"])
    return out


def site_cost(table: Mapping[str, SiteCost], code: str) -> SiteCost:
    found = table.get(code) or table.get("*")
    if found is None:
        raise StrokeError(f"the cost table has no row for site {code!r} and no default row '*'")
    return found


@dataclass(frozen=True)
class OptionCost:
    capital: float
    revenue_a_year: float
    net_present_cost: float
    capital_available: float
    capital_by_site: dict[str, float] = field(default_factory=dict)

    @property
    def within_capital(self) -> bool:
        return self.capital <= self.capital_available + 1e-6

    @property
    def headroom(self) -> float:
        return self.capital_available - self.capital


def annual_revenue(units: Iterable[UnitCapacity], a: CostAssumptions) -> float:
    total = 0.0
    for u in units:
        unregistered = u.nurses_wte - u.registered_nurses_wte
        total += (
            u.consultants_wte * a.consultant_per_wte
            + u.registered_nurses_wte * a.registered_nurse_per_wte
            + unregistered * a.unregistered_nurse_per_wte
            + u.therapists_wte * a.therapist_per_wte
            + (u.hasu_beds + u.asu_beds) * a.non_pay_per_bed
        )
    return total


def discount_factors(years: int, rate: float) -> list[float]:
    """Green Book discount factors for years 0..years: 1 / (1 + r)^t."""
    return [1.0 / (1.0 + rate) ** t for t in range(years + 1)]


def net_present_cost(capital: float, revenue_a_year: float, years: int, rate: float) -> float:
    """Capital in year 0, revenue in years 1..years, discounted."""
    f = discount_factors(years, rate)
    return capital + revenue_a_year * sum(f[1:])


def option_cost(
    hasu_units: Mapping[str, UnitCapacity],
    codes: Mapping[str, str],
    table: Mapping[str, SiteCost],
    a: CostAssumptions,
    all_units: Iterable[UnitCapacity] | None = None,
) -> OptionCost:
    """`hasu_units`: site name -> its capacity (the sites that need HASU works); `codes`:
    site name -> short code for the cost table; `all_units`: every unit whose staff and
    beds are paid for (default the HASUs)."""
    by_site = {}
    for name, u in hasu_units.items():
        c = site_cost(table, codes.get(name, name))
        by_site[name] = c.hasu_works + c.per_bed * u.hasu_beds
    capital = sum(by_site.values())
    revenue = annual_revenue(all_units if all_units is not None else hasu_units.values(), a)
    return OptionCost(
        capital,
        revenue,
        net_present_cost(capital, revenue, a.years, a.discount_rate),
        a.capital_available,
        by_site,
    )


__all__ = [
    "COST_TABLE",
    "GREEN_BOOK_RATE",
    "CostAssumptions",
    "OptionCost",
    "SiteCost",
    "annual_revenue",
    "discount_factors",
    "net_present_cost",
    "option_cost",
    "read_cost_table",
    "site_cost",
]
