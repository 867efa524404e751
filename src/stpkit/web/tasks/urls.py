"""Mounted at the site root by config: /tasks/, /notifications/, /search/."""

from django.urls import path

from stpkit.web.tasks import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.my_tasks, name="index"),
    path("notifications/", views.notifications, name="notifications"),
    path("search/", views.search_page, name="search"),
]
