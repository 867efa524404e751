from django.urls import path

from stpkit.web.decisions import stroke_urls, views

app_name = "decisions"
urlpatterns = [
    path("", views.index, name="index"),
    path("p/<slug:slug>/", views.programme, name="programme"),
    path("p/<slug:slug>/stage/<slug:key>/", views.stage, name="stage"),
    path("p/<slug:slug>/options/", views.options, name="options"),
    path("p/<slug:slug>/options/<str:code>/", views.option, name="option"),
    path("p/<slug:slug>/hurdles/", views.hurdles, name="hurdles"),
    path("p/<slug:slug>/criteria/", views.criteria, name="criteria"),
    path("p/<slug:slug>/scoring/", views.scoring, name="scoring"),
    path("p/<slug:slug>/results/", views.results, name="results"),
    path("p/<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("p/<slug:slug>/consultation/", views.consultation, name="consultation"),
    path("p/<slug:slug>/history/", views.history, name="history"),
    path("p/<slug:slug>/pack/<slug:kind>.docx", views.pack, name="pack"),
    *stroke_urls.urlpatterns,
]
