from django.urls import path

from stpkit.web.decisions.views import (
    consultation,
    criteria,
    history,
    hurdles,
    index,
    options,
    packs,
    programme,
    results,
    scoring,
    stages,
    stroke,
    timeline,
)

app_name = "decisions"
urlpatterns = [
    path("", index.index, name="index"),
    path("p/<slug:slug>/", programme.programme, name="programme"),
    path("p/<slug:slug>/stage/<slug:key>/", stages.stage, name="stage"),
    path("p/<slug:slug>/options/", options.options, name="options"),
    path("p/<slug:slug>/options/<str:code>/", options.option, name="option"),
    path("p/<slug:slug>/hurdles/", hurdles.hurdles, name="hurdles"),
    path("p/<slug:slug>/criteria/", criteria.criteria, name="criteria"),
    path("p/<slug:slug>/scoring/", scoring.scoring, name="scoring"),
    path("p/<slug:slug>/results/", results.results, name="results"),
    path("p/<slug:slug>/timeline/", timeline.timeline, name="timeline"),
    path("p/<slug:slug>/consultation/", consultation.consultation, name="consultation"),
    path("p/<slug:slug>/history/", history.history, name="history"),
    path("p/<slug:slug>/pack/<slug:kind>.docx", packs.pack, name="pack"),
    # the stroke model's configuration pages
    path("stroke/", stroke.stroke, name="stroke"),
]
