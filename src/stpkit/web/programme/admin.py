from django.contrib import admin

from stpkit.web.programme.models import (
    Dependency,
    Milestone,
    Objective,
    Risk,
    RiskPolicy,
    Workstream,
)

for model in (Workstream, Objective, Milestone, Dependency, Risk, RiskPolicy):
    admin.site.register(model)
