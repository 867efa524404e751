from django.contrib import admin

from stpkit.web.enablers import models

for model in (
    models.Organisation,
    models.Site,
    models.ReturnLoad,
    models.CapitalScheme,
    models.Initiative,
    models.WorkstreamRequest,
):
    admin.site.register(model)
