"""The population page: today's age-sex pyramid and a map of measures by LSOA."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.governed import AGE_BANDS, dashboards, inequalities
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.maps import boundaries_url
from stpkit.web.core.paging import paginate
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, year_asked

MEASURES = {
    "people": "Registered people",
    "cost_per_person": "Cost per person (GBP)",
    "admissions_per_1000": "Emergency admissions per 1,000",
}
COLUMNS = [
    ("lsoa_code", "LSOA"),
    ("people", "Registered people"),
    ("cost_per_person", "Cost per person (GBP)"),
    ("admissions", "Emergency admissions"),
    ("admissions_per_1000", "Per 1,000"),
]


@area_required("data")
@governed("Population")
def population(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    year = year_asked(access, request)
    pyramid = dashboards.pyramid(access.store, access.policy)
    table = dashboards.segments_table(access.store, year, services.cache_dir())
    lsoa = dashboards.lsoa_measures(access.store, year, access.policy, table)
    measure = request.GET.get("measure", "cost_per_person")
    measure = measure if measure in MEASURES else "cost_per_person"
    rows = charts.records(lsoa)
    download = table_download(request, rows, COLUMNS, f"lsoa-{year}")
    if download:
        services.log_view(request.user, "population download", len(rows))
        return download
    gaps = inequalities(access.store, year, services.cache_dir(), access.policy).gaps
    services.log_view(request.user, "population", len(pyramid) + len(lsoa))
    return page(
        request,
        "population.jinja",
        "Population",
        "data:population",
        year=year,
        measure=measure,
        measures=MEASURES,
        pyramid_spec=charts.pyramid(pyramid, list(AGE_BANDS)),
        pyramid_rows=charts.records(
            pyramid.pivot_table(index="age_band", columns="sex", values="people", aggfunc="first")
            .reindex(AGE_BANDS)
            .reset_index()
        ),
        map_spec=charts.lsoa_map(lsoa, measure, MEASURES[measure], boundaries_url()),
        lsoa_rows=paginate(request, rows),
        lsoa_columns=COLUMNS,
        gaps=gaps,
    )
