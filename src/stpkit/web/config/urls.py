"""Top-level URLs: one include per area; every view requires a login (middleware).

The home app's cross-area pages keep their old names (`core:home`, `programme:index`):
config, the top layer, mounts them into those namespaces beside each app's own patterns.
"""

from django.contrib import admin
from django.urls import include, path

from stpkit.web.core import urls as core_urls
from stpkit.web.home import urls as home_urls
from stpkit.web.programme import urls as programme_urls

urlpatterns = [
    path("", include((home_urls.core_patterns + core_urls.urlpatterns, "core"))),
    path("accounts/", include("stpkit.web.accounts.urls")),
    path("programme/board/", include("stpkit.web.board.urls")),
    path("programme/enablers/", include("stpkit.web.enablers.urls")),
    path("programme/system/", include("stpkit.web.system.urls")),
    path(
        "programme/",
        include((home_urls.programme_patterns + programme_urls.urlpatterns, "programme")),
    ),
    path("data/", include("stpkit.web.data.urls")),
    path("decisions/", include("stpkit.web.decisions.urls")),
    path("productivity/", include("stpkit.web.productivity.urls")),
    path("consultation/", include("stpkit.web.consultation.urls")),
    path("", include("stpkit.web.tasks.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "stpkit.web.config.errors.bad_request"
handler403 = "stpkit.web.config.errors.permission_denied"
handler404 = "stpkit.web.config.errors.page_not_found"
handler500 = "stpkit.web.config.errors.server_error"
