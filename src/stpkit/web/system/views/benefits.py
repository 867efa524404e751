"""The benefits register: each workstream's benefits, their measures and realised to date."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.core.editing import edit_page
from stpkit.web.core.tables import table_download
from stpkit.web.system import services
from stpkit.web.system.forms import BenefitForm
from stpkit.web.system.models import Benefit


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    rows = services.benefit_rows()
    download = table_download(request, rows, services.BENEFIT_COLUMNS, "benefits")
    if download:
        return download
    return render(
        request,
        "system/benefits.jinja",
        {
            "title": "Benefits register",
            "rows": rows,
            "columns": services.BENEFIT_COLUMNS,
            "can_edit": can_edit_area(request.user, "programme"),
        },
    )


@area_required("programme", edit=True)
def new(request: HttpRequest) -> HttpResponse:
    return edit_page(
        request,
        BenefitForm(request.POST or None),
        template="system/form.jinja",
        title="Add a benefit",
        back=("system:benefits",),
        done=lambda _benefit: reverse("system:benefits"),
        saved_message=lambda benefit: f"{benefit.name} added.",
    )


@area_required("programme", edit=True)
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    benefit = get_object_or_404(Benefit, slug=slug)
    return edit_page(
        request,
        BenefitForm(request.POST or None, instance=benefit),
        template="system/form.jinja",
        title=f"Edit {benefit.name}",
        back=("system:benefits",),
        done=lambda _benefit: reverse("system:benefits"),
        saved_message=lambda saved: f"{saved.name} saved.",
    )
