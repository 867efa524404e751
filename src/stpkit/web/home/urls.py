"""The home app's pages keep the URL names they had before the app existed (`core:home`,
`programme:index`), so `config/urls.py` mounts each list into that namespace, beside the
owning app's own patterns. No app below `home` imports these views."""

from django.urls import path

from stpkit.web.home import views

core_patterns = [path("", views.home, name="home")]
programme_patterns = [path("", views.programme, name="index")]
