"""Board URLs live under /programme/board/ in their own namespace `board`."""

from django.urls import path

from stpkit.web.board import views_budgets, views_meetings, views_public_update, views_updates

app_name = "board"
urlpatterns = [
    path("", views_updates.index, name="index"),
    path("periods/", views_updates.periods, name="periods"),
    path("periods/<str:month>/", views_updates.period_detail, name="period"),
    path("periods/<str:month>/<slug:slug>/", views_updates.update_detail, name="update"),
    path("periods/<str:month>/<slug:slug>/edit/", views_updates.update_edit, name="update_edit"),
    path("trend/", views_updates.trend, name="trend"),
    path("budgets/", views_budgets.budgets, name="budgets"),
    path(
        "budgets/<int:year>/<slug:slug>/",
        views_budgets.workstream_budget,
        name="workstream_budget",
    ),
    path("budgets/lines/<int:pk>/", views_budgets.budget_line, name="budget_line"),
    path("meetings/", views_meetings.meetings, name="meetings"),
    path("meetings/<str:meeting_date>/", views_meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<str:meeting_date>/update/",
        views_public_update.public_update,
        name="public_update",
    ),
    path(
        "meetings/<str:meeting_date>/update/edit/",
        views_public_update.public_update_edit,
        name="public_update_edit",
    ),
    path(
        "meetings/<str:meeting_date>/update/docx/",
        views_public_update.public_update_docx,
        name="public_update_docx",
    ),
    path("papers/<int:pk>/", views_meetings.paper, name="paper"),
    path("actions/", views_meetings.actions, name="actions"),
]
