"""WSGI entry point for production servers.

The URL configuration (and with it every view module and the engines they import) is
loaded here, not on the first request: gunicorn loads this module once in its master
(`--preload`) and forks workers that answer at once, sharing that memory.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stpkit.web.config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - import every view now, before workers fork
