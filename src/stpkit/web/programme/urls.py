from django.urls import path

from stpkit.web.programme import import_views, milestone_views, risk_views, views

app_name = "programme"
# "" (programme:index) is the programme dashboard, mounted from stpkit.web.home by config.
urlpatterns = [
    path("workstreams/new/", views.workstream_new, name="workstream_new"),
    path("workstreams/<slug:slug>/", views.workstream_detail, name="workstream"),
    path("workstreams/<slug:slug>/edit/", views.workstream_edit, name="workstream_edit"),
    path("workstreams/<slug:slug>/objectives/new/", views.objective_new, name="objective_new"),
    path(
        "workstreams/<slug:slug>/objectives/<int:pk>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "workstreams/<slug:slug>/objectives/<int:pk>/remove/",
        views.objective_remove,
        name="objective_remove",
    ),
    path(
        "workstreams/<slug:slug>/milestones/new/",
        milestone_views.milestone_new,
        name="milestone_new",
    ),
    path("milestones/", milestone_views.milestone_list, name="milestones"),
    path("milestones/<int:pk>/", milestone_views.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/edit/", milestone_views.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:pk>/dependencies/new/",
        milestone_views.dependency_new,
        name="dependency_new",
    ),
    path("dependencies/", milestone_views.dependency_list, name="dependencies"),
    path(
        "dependencies/<int:pk>/remove/",
        milestone_views.dependency_remove,
        name="dependency_remove",
    ),
    path("timeline/", milestone_views.timeline, name="timeline"),
    path("risks/", risk_views.risk_list, name="risks"),
    path("risks/new/", risk_views.risk_new, name="risk_new"),
    path("risks/bands/", risk_views.risk_policy, name="risk_policy"),
    path("risks/<int:pk>/", risk_views.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", risk_views.risk_edit, name="risk_edit"),
    path("import/", import_views.import_file, name="import"),
    path("import/template/<slug:what>/", import_views.import_template, name="import_template"),
]
