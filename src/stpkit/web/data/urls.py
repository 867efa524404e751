"""Data area URLs. The JSON API's paths are unnamed: they are not pages, answer tokens rather
than sessions, and are tested against their OpenAPI document (tests/web/data/test_api.py)."""

from django.urls import path

from stpkit.web.data import api, api_population, views

app_name = "data"
urlpatterns = [
    path("", views.index, name="index"),
    path("population/", views.population, name="population"),
    path("segments/", views.segments, name="segments"),
    path("costs/", views.costs, name="costs"),
    path("trends/", views.trends, name="trends"),
    path("practices/", views.practices, name="practices"),
    path("projection/", views.projection, name="projection"),
    path("tiers/", views.tiers, name="tiers"),
    path("inequalities/", views.inequalities, name="inequalities"),
    path("risk/", views.risk, name="risk"),
    path("demand/", views.demand, name="demand"),
    path("capitation/", views.capitation, name="capitation"),
    path("workstreams/<slug:slug>/", views.workstream, name="workstream"),
    path("purposes/", views.purposes, name="purposes"),
    path("audit/", views.audit, name="audit"),
    path("linkage-quality/", views.linkage_quality, name="linkage_quality"),
    path("query/", views.query, name="query"),
    path("tokens/", views.tokens, name="tokens"),
    path("api/v1/openapi.json", api.openapi),
    path("api/v1/aggregate", api.aggregate),
    path("api/v1/segments", api.segments),
    path("api/v1/costs", api.costs),
    path("api/v1/inequalities", api_population.inequalities),
    path("api/v1/risk", api_population.risk),
    path("api/v1/demand", api_population.demand),
    path("api/v1/capitation", api_population.capitation),
]
