"""Uploading a national statistics file in its published layout."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.system import LAYOUTS, NationalFileError
from stpkit.web.accounts.roles import area_required
from stpkit.web.system import services
from stpkit.web.system.forms import NationalUploadForm
from stpkit.web.system.models import NationalImport


@area_required("programme", edit=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = NationalUploadForm(request.POST or None, request.FILES or None)
    issues: list[object] = []
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = services.import_national_file(
                name=upload.name,
                content=upload.read(),
                user=request.user,
                replace=form.cleaned_data["replace"],
                period=form.cleaned_data["period"],
            )
        except NationalFileError as err:
            issues = list(err.issues)
        except services.PeriodAlreadyLoaded as err:
            refused = str(err)
        else:
            verb = "Replaced" if record.replaced else "Loaded"
            messages.success(
                request,
                f"{verb} {record.file_name}: {record.values} values for {record.period:%B %Y}.",
            )
            return redirect("system:national")
    return render(
        request,
        "system/national.jinja",
        {
            "title": "Load a national statistics file",
            "form": form,
            "issues": issues,
            "refused": refused,
            "layouts": LAYOUTS,
            "imports": NationalImport.objects.select_related("user")[:20],
        },
    )
