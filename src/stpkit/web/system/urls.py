from django.urls import path

from stpkit.web.system.views import (
    api,
    benefits,
    gaps,
    measures,
    national,
    organisations,
    rating,
    values,
)

app_name = "system"
urlpatterns = [
    path("", measures.index, name="index"),
    path("gaps/", gaps.index, name="gaps"),
    path("rating/", rating.index, name="rating"),
    path("national/", national.upload, name="national"),
    path("national/organisations/", organisations.upload, name="organisations"),
    path("api/measures.json", api.measures, name="api_measures"),
    path("benefits/", benefits.index, name="benefits"),
    path("benefits/new/", benefits.new, name="benefit_new"),
    path("benefits/<slug:slug>/edit/", benefits.edit, name="benefit_edit"),
    path("measures/new/", measures.new, name="measure_new"),
    path("measures/<slug:code>/", measures.detail, name="measure"),
    path("measures/<slug:code>/edit/", measures.edit, name="measure_edit"),
    path("measures/<slug:code>/values/", values.enter, name="values"),
]
