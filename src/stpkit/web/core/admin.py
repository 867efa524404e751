from django.contrib import admin

from stpkit.web.core.models import Partnership, Site

admin.site.register(Partnership)
admin.site.register(Site)
