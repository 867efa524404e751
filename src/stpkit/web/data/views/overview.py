"""The data area's overview: the store's headline figures and the reference data's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from stpkit.kid.governed import overview
from stpkit.reference import get_reference
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.models import Partnership
from stpkit.web.data import services
from stpkit.web.data.views.common import page


@area_required("data")
def index(request: HttpRequest) -> HttpResponse:
    partnership = Partnership.objects.first()
    context: dict[str, Any] = {"partnership": partnership}
    if partnership is not None:
        lsoas = get_reference().lsoas(partnership.icb_code)
        context.update(lsoa_count=len(lsoas), stroke_admissions=float(lsoas.admissions.sum()))
    access = services.dashboard_access()
    context["problem"] = access.problem
    if access.ok and access.store is not None and access.policy is not None:
        figures = overview(access.store, access.store.years()[-1], access.policy)
        context.update(
            year=figures.year,
            people=figures.people,
            contacts=figures.contacts,
            cost=figures.cost,
            cost_per_person=figures.cost_per_person,
            policy=access.policy.describe(),
            purpose=access.purpose,
        )
        services.log_view(request.user, "overview", 3)
    return page(request, "index.jinja", "Data", "data:index", **context)
