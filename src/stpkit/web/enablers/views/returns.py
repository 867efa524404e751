"""Loading the partners' estates and workforce returns, and the blank templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.web.accounts.roles import area_required
from stpkit.web.enablers import loading
from stpkit.web.enablers.forms import ReturnForm
from stpkit.web.enablers.models import ReturnLoad
from stpkit.web.enablers.views._common import require_office

LOAD_COLUMNS = [
    ("kind", "Return"),
    ("year", "Year"),
    ("files", "Files"),
    ("rows", "Rows"),
    ("loaded_at", "Loaded"),
    ("by", "By"),
]


@area_required("programme", edit=True)
def returns(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = ReturnForm(request.POST or None, request.FILES or None)
    problems: list[eng.Problem] = []
    if request.method == "POST" and form.is_valid():
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        files = ((first.name, first.read()), (second.name, second.read()))
        year = form.cleaned_data["year"]
        try:
            if form.cleaned_data["kind"] == "estates":
                load = loading.import_estates(
                    sites=files[0], buildings=files[1], year=year, user=request.user
                )
            else:
                load = loading.import_workforce(
                    staff=files[0], measures=files[1], year=year, user=request.user
                )
        except eng.ReturnRejected as err:
            problems = err.problems
        else:
            messages.success(request, f"{load} loaded: {load.rows:,} rows.")
            return redirect("enablers:returns")
    loads = [
        {
            "kind": r.get_kind_display(),
            "year": r.year,
            "files": r.files,
            "rows": r.rows,
            "loaded_at": r.loaded_at.strftime("%d %b %Y %H:%M"),
            "by": r.loaded_by.display_name if r.loaded_by else "the system",
        }
        for r in ReturnLoad.objects.select_related("loaded_by")
    ]
    return render(
        request,
        "enablers/form.jinja",
        {
            "title": "Load a return",
            "intro": "An estates return is a sites file and a buildings file; a workforce return "
            "a staff in post file (one row a person) and a measures file (one row for "
            "each organisation and staff group). CSV or Excel. Every row is checked "
            "first; if anything is wrong nothing is loaded and every problem is listed.",
            "form": form,
            "multipart": True,
            "submit": "Check and load",
            "problems": problems,
            "links": [
                (reverse("enablers:template", args=[k]), f"Template: {k.replace('_', ' ')}")
                for k in eng.TEMPLATES
            ],
            "tables": [
                {
                    "caption": "Returns loaded",
                    "columns": LOAD_COLUMNS,
                    "rows": loads,
                    "numeric": ["year", "rows"],
                    "empty": "No returns loaded yet.",
                }
            ],
            "back": reverse("enablers:index"),
        },
    )


@area_required("programme")
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in eng.TEMPLATES:
        raise Http404("No such template")
    response = HttpResponse(eng.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
