"""The benefits register: each workstream's benefits, their measures and realised to date."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.core.audit import StaleEditError, audited_save
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
    form = BenefitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        benefit = audited_save(form.save(commit=False), request.user)
        messages.success(request, f"{benefit.name} added.")
        return redirect("system:benefits")
    return render(
        request,
        "system/form.jinja",
        {"title": "Add a benefit", "form": form, "stale": "", "back": ("system:benefits",)},
    )


@area_required("programme", edit=True)
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    benefit = get_object_or_404(Benefit, slug=slug)
    form = BenefitForm(request.POST or None, instance=benefit)
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            audited_save(
                form.save(commit=False), request.user, expected_version=form.expected_version
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, f"{benefit.name} saved.")
            return redirect("system:benefits")
    return render(
        request,
        "system/form.jinja",
        {
            "title": f"Edit {benefit.name}",
            "form": form,
            "stale": stale,
            "back": ("system:benefits",),
        },
    )
