"""Home dashboard and the static information pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stpkit.web.core.dashboard import home_figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.jinja", {"title": "Dashboard", **home_figures()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.jinja", {"title": "About stpkit"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", {"title": "Accessibility statement"})
