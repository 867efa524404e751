from django.urls import path

from stpkit.web.enablers.views import (
    capital,
    dashboard,
    estates,
    portfolio,
    requests,
    returns,
    workforce,
)

app_name = "enablers"
urlpatterns = [
    path("", dashboard.index, name="index"),
    path("estates/", estates.estates, name="estates"),
    path("estates/sites/", estates.sites, name="sites"),
    path("estates/sites/new/", estates.site_new, name="site_new"),
    path("estates/sites/<int:pk>/edit/", estates.site_edit, name="site_edit"),
    path("estates/buildings/", estates.buildings, name="buildings"),
    path("estates/buildings/<int:pk>/edit/", estates.building_edit, name="building_edit"),
    path("estates/space/", estates.space, name="space"),
    path("estates/disposals/", estates.disposals, name="disposals"),
    path("workforce/", workforce.workforce, name="workforce"),
    path("workforce/agency/", workforce.agency, name="agency"),
    path("workforce/projection/", workforce.projection, name="projection"),
    path(
        "workforce/assumptions/<slug:group>/",
        workforce.assumption_edit,
        name="assumption_edit",
    ),
    path(
        "workforce/service-changes/new/",
        workforce.service_change_new,
        name="service_change_new",
    ),
    path("capital/", capital.capital, name="capital"),
    path("capital/schemes/new/", capital.scheme_new, name="scheme_new"),
    path("capital/schemes/<int:pk>/edit/", capital.scheme_edit, name="scheme_edit"),
    path("capital/envelope/<str:year>/", capital.envelope_edit, name="envelope_edit"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/initiatives/new/", portfolio.initiative_new, name="initiative_new"),
    path("portfolio/initiatives/<int:pk>/", portfolio.initiative, name="initiative"),
    path(
        "portfolio/initiatives/<int:pk>/edit/",
        portfolio.initiative_edit,
        name="initiative_edit",
    ),
    path("portfolio/limits/new/", portfolio.limit_new, name="limit_new"),
    path("requests/", requests.request_list, name="requests"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("returns/", returns.returns, name="returns"),
    path("returns/templates/<slug:kind>/", returns.template, name="template"),
]
