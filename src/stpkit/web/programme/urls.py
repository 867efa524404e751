from django.urls import path

from stpkit.web.programme.views import (
    dependencies,
    imports,
    milestones,
    objectives,
    risks,
    workstreams,
)

app_name = "programme"
# "" (programme:index) is the programme dashboard, mounted from stpkit.web.home by config.
urlpatterns = [
    path("workstreams/new/", workstreams.workstream_new, name="workstream_new"),
    path("workstreams/<slug:slug>/", workstreams.workstream_detail, name="workstream"),
    path("workstreams/<slug:slug>/edit/", workstreams.workstream_edit, name="workstream_edit"),
    path("workstreams/<slug:slug>/objectives/new/", objectives.objective_new, name="objective_new"),
    path(
        "workstreams/<slug:slug>/objectives/<int:pk>/edit/",
        objectives.objective_edit,
        name="objective_edit",
    ),
    path(
        "workstreams/<slug:slug>/objectives/<int:pk>/remove/",
        objectives.objective_remove,
        name="objective_remove",
    ),
    path(
        "workstreams/<slug:slug>/milestones/new/",
        milestones.milestone_new,
        name="milestone_new",
    ),
    path("milestones/", milestones.milestone_list, name="milestones"),
    path("milestones/<int:pk>/", milestones.milestone_detail, name="milestone"),
    path("milestones/<int:pk>/edit/", milestones.milestone_edit, name="milestone_edit"),
    path(
        "milestones/<int:pk>/dependencies/new/",
        dependencies.dependency_new,
        name="dependency_new",
    ),
    path("dependencies/", dependencies.dependency_list, name="dependencies"),
    path(
        "dependencies/<int:pk>/remove/",
        dependencies.dependency_remove,
        name="dependency_remove",
    ),
    path("timeline/", milestones.timeline, name="timeline"),
    path("risks/", risks.risk_list, name="risks"),
    path("risks/new/", risks.risk_new, name="risk_new"),
    path("risks/bands/", risks.risk_policy, name="risk_policy"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("import/", imports.import_file, name="import"),
    path("import/template/<slug:what>/", imports.import_template, name="import_template"),
]
