"""Top-level URLs: one include per area; every view requires a login (middleware)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("stpkit.web.core.urls")),
    path("accounts/", include("stpkit.web.accounts.urls")),
    path("programme/board/", include("stpkit.web.board.urls")),
    path("programme/enablers/", include("stpkit.web.enablers.urls")),
    path("programme/", include("stpkit.web.programme.urls")),
    path("data/", include("stpkit.web.data.urls")),
    path("decisions/", include("stpkit.web.decisions.urls")),
    path("productivity/", include("stpkit.web.productivity.urls")),
    path("consultation/", include("stpkit.web.consultation.urls")),
    path("admin/", admin.site.urls),
]
