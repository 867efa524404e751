from django.urls import path

from stpkit.web.productivity.views import (
    board_summary,
    bridge,
    groups,
    imports,
    opportunity,
    schemes,
)

app_name = "productivity"
urlpatterns = [
    path("", groups.index, name="index"),
    path("opportunity/", opportunity.opportunity, name="opportunity"),
    path("metrics/<slug:code>/", opportunity.metric, name="metric"),
    path("import/", imports.import_benchmarks, name="import_benchmarks"),
    path("savings/import/", imports.import_savings, name="import_savings"),
    path("bridge/", bridge.bridge, name="bridge"),
    path("bridge/import/", bridge.import_bridge, name="import_bridge"),
    path("board-summary.docx", board_summary.board_summary, name="board_summary"),
    path("groups/<slug:slug>/", groups.working_group, name="working_group"),
    path("groups/<slug:slug>/edit/", groups.working_group_edit, name="working_group_edit"),
    path("groups/<slug:slug>/schemes/<slug:scheme>/edit/", schemes.scheme_edit, name="scheme_edit"),
]
