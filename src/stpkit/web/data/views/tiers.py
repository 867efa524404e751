"""The local care tiers page: practices grouped into extended practices, hubs, footprints."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from stpkit.charts import data as charts
from stpkit.kid.governed import TIER_LIMITS, TIER_TITLES, local_care
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.maps import boundaries_url
from stpkit.web.core.tables import table_download
from stpkit.web.data import services
from stpkit.web.data.views.common import governed, page, scale, suffix, year_asked


@area_required("data")
@governed("Local care tiers")
def tiers(request: HttpRequest, access: services.DashboardAccess) -> HttpResponse:
    assert access.store is not None and access.policy is not None
    factor = scale(access)
    tier = request.GET.get("tier", "community_hub")
    tier = tier if tier in TIER_TITLES else "community_hub"
    year = year_asked(access, request)
    care = local_care(access.store, year, tier, scale=factor)
    columns = [
        ("name", "Group"),
        ("practices", "Practices"),
        ("population", "Registered population"),
        ("cost", f"Cost {year} (GBP)"),
        ("cost_per_person", "Cost per person (GBP)"),
        ("problem", "Bounds"),
    ]
    download = table_download(request, care.rows, columns, f"local-care-{tier}")
    services.log_view(request.user, f"tiers {tier}{suffix(download)}", len(care.rows))
    if download:
        return download
    return page(
        request,
        "tiers.jinja",
        "Local care tiers",
        "data:tiers",
        tier=tier,
        titles=TIER_TITLES,
        bounds=TIER_LIMITS[tier],
        rows=care.rows,
        columns=columns,
        scale=factor,
        counts=care.counts,
        flagged=care.flagged,
        spec=charts.tiers_map(care.lsoa_groups, "group", TIER_TITLES[tier], boundaries_url()),
    )
