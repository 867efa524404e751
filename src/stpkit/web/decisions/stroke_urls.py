"""URLs of the stroke model pages (site picker, comparison), included by decisions/urls.py."""

from django.urls import URLPattern, path

from stpkit.web.decisions import stroke_views

urlpatterns: list[URLPattern] = [
    path("stroke/", stroke_views.stroke, name="stroke"),
]
