"""Board URLs live under /programme/board/ in their own namespace `board`."""

from django.urls import path

from stpkit.web.board.views import budgets, highlight, meetings, public_update, updates

app_name = "board"
urlpatterns = [
    path("", updates.index, name="index"),
    path("periods/", updates.periods, name="periods"),
    path("periods/<str:month>/", updates.period_detail, name="period"),
    path("periods/<str:month>/<slug:slug>/", updates.update_detail, name="update"),
    path("periods/<str:month>/<slug:slug>/edit/", updates.update_edit, name="update_edit"),
    path(
        "periods/<str:month>/<slug:slug>/highlight/<str:fmt>/",
        highlight.highlight,
        name="highlight",
    ),
    path("trend/", updates.trend, name="trend"),
    path("budgets/", budgets.budgets, name="budgets"),
    path(
        "budgets/<int:year>/<slug:slug>/",
        budgets.workstream_budget,
        name="workstream_budget",
    ),
    path("budgets/lines/<int:pk>/", budgets.budget_line, name="budget_line"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/<str:meeting_date>/", meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<str:meeting_date>/update/",
        public_update.public_update,
        name="public_update",
    ),
    path(
        "meetings/<str:meeting_date>/update/edit/",
        public_update.public_update_edit,
        name="public_update_edit",
    ),
    path(
        "meetings/<str:meeting_date>/update/docx/",
        public_update.public_update_docx,
        name="public_update_docx",
    ),
    path(
        "meetings/<str:meeting_date>/update/pdf/",
        public_update.public_update_pdf,
        name="public_update_pdf",
    ),
    path("papers/<int:pk>/", meetings.paper, name="paper"),
    path("actions/", meetings.actions, name="actions"),
]
