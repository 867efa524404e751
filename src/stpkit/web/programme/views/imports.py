"""Import milestones or risks from the Excel template, and download the template."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.programme import ImportFormatError
from stpkit.programme.importing import TEMPLATES, template_bytes
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import XLSX_TYPE
from stpkit.web.programme.forms import ImportForm
from stpkit.web.programme.importer import import_workbook

MAX_BYTES = 5 * 1024 * 1024


@area_required("programme", edit=True)
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    problem = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        template = TEMPLATES[form.cleaned_data["what"]]
        if upload.size > MAX_BYTES:
            problem = f"{upload.name} is larger than 5 MB; split it into smaller files."
        else:
            try:
                outcome = import_workbook(upload.read(), template, request.user, upload.name)
            except ImportFormatError as err:
                problem = str(err)
            else:
                if outcome.ok:
                    messages.success(
                        request,
                        f"Imported {outcome.created + outcome.updated} {template.name} from "
                        f"{upload.name}: {outcome.created} new, {outcome.updated} updated.",
                    )
                    return redirect(
                        "programme:milestones"
                        if template.name == "milestones"
                        else "programme:risks"
                    )
                errors = outcome.errors
                problem = (
                    f"{upload.name} was not imported: {len(errors)} problem(s) in the rows below. "
                    "Nothing was saved. Correct the file and upload it again."
                )
    return render(
        request,
        "programme/import.jinja",
        {"title": "Import milestones or risks", "form": form, "errors": errors, "problem": problem},
    )


@area_required("programme")
def import_template(request: HttpRequest, what: str) -> HttpResponse:
    template = TEMPLATES.get(what)
    if template is None:
        raise Http404("No such template")
    response = HttpResponse(template_bytes(template), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="stpkit-{what}-template.xlsx"'
    return response
