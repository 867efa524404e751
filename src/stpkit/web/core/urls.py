from django.urls import path

from stpkit.web.core import maps, views

app_name = "core"
urlpatterns = [
    # "" (core:home) is the home dashboard, mounted here from stpkit.web.home by config/urls.
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("maps/lsoas/<str:icb_code>.geojson", maps.lsoa_boundaries, name="lsoa_boundaries"),
]
