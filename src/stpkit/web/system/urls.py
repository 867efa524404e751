from django.urls import path

from stpkit.web.system.views import api, gaps, measures, national, rating, values

app_name = "system"
urlpatterns = [
    path("", measures.index, name="index"),
    path("gaps/", gaps.index, name="gaps"),
    path("rating/", rating.index, name="rating"),
    path("national/", national.upload, name="national"),
    path("api/measures.json", api.measures, name="api_measures"),
    path("measures/new/", measures.new, name="measure_new"),
    path("measures/<slug:code>/", measures.detail, name="measure"),
    path("measures/<slug:code>/edit/", measures.edit, name="measure_edit"),
    path("measures/<slug:code>/values/", values.enter, name="values"),
]
