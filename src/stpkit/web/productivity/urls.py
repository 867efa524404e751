from django.urls import path

from stpkit.web.productivity import views

app_name = "productivity"
urlpatterns = [
    path("", views.index, name="index"),
    path("opportunity/", views.opportunity, name="opportunity"),
    path("metrics/<slug:code>/", views.metric, name="metric"),
    path("import/", views.import_benchmarks, name="import_benchmarks"),
    path("savings/import/", views.import_savings, name="import_savings"),
    path("bridge/", views.bridge, name="bridge"),
    path("bridge/import/", views.import_bridge, name="import_bridge"),
    path("board-summary.docx", views.board_summary, name="board_summary"),
    path("groups/<slug:slug>/", views.working_group, name="working_group"),
    path("groups/<slug:slug>/edit/", views.working_group_edit, name="working_group_edit"),
    path("groups/<slug:slug>/schemes/<slug:scheme>/edit/", views.scheme_edit, name="scheme_edit"),
]
