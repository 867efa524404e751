"""The projection page: population and demand five years on, with a local care scenario."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.analyses import Assumptions
from stpkit.kid.governed import demand_projection
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, number_asked, page, scale, suffix

COLUMNS = [
    ("year", "Year"),
    ("scenario", "Scenario"),
    ("setting", "Setting"),
    ("activity", "Activity"),
    ("cost", "Cost (GBP, base-year prices)"),
]


@area_required("data")
@governed("Demand in five years")
def projection(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    a = Assumptions(
        shift_share=number_asked(request, "shift", 15, 0, 50) / 100,
        net_migration=number_asked(request, "migration", 0.4, -2, 2) / 100,
        community_contacts_per_admission=number_asked(request, "contacts", 5, 0, 20),
    )
    factor = scale(access)
    published = demand_projection(access.store, a, services.cache_dir(), factor)
    p, pop, totals = published.projection, published.population, published.totals
    rows = charts.records(published.demand)
    download = table_download(request, rows, COLUMNS, "demand-projection")
    services.log_view(request.user, f"projection{suffix(download)}", len(rows))
    if download:
        return download
    first = totals[totals.year == p.base_year]
    return page(
        request,
        "projection.jinja",
        "Demand in five years",
        "data:projection",
        p=p,
        a=a,
        scale=factor,
        over65=p.over65_growth(),
        shift=a.shift_share * 100,
        migration=a.net_migration * 100,
        contacts=a.community_contacts_per_admission,
        base_cost=float(first[first.scenario == "baseline"].cost.sum()),
        end_cost=published.total_cost(p.base_year + a.years),
        population_spec=charts.lines(pop, "year", "people", "age_group", "Year", "People"),
        cost_spec=charts.lines(totals, "year", "cost", "scenario", "Year", "Cost (GBP)"),
        population_rows=charts.records(
            pop.pivot_table(index="year", columns="age_group", values="people").reset_index()
        ),
        rows=rows,
        columns=COLUMNS,
    )
