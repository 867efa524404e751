"""Loading NHS Digital's ODS organisation files: the codes national files may name."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.system import NationalFileError
from stpkit.system.ods import KINDS, read_ods_file
from stpkit.web.accounts.roles import area_required
from stpkit.web.system import services
from stpkit.web.system.forms import OrganisationUploadForm
from stpkit.web.system.models import Organisation, OrganisationLoad


@area_required("programme", edit=True)
def upload(request: HttpRequest) -> HttpResponse:
    form = OrganisationUploadForm(request.POST or None, request.FILES or None)
    issues: list[object] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = read_ods_file(
                upload.name, upload.read(), kind=form.cleaned_data["kind"] or None
            )
            (record,) = services.load_organisations(
                [parsed],
                user=request.user,
                geographies=form.cleaned_data["geographies"],
                codes=form.cleaned_data["codes"],
            )
        except NationalFileError as err:
            issues = list(err.issues)
        else:
            members = Organisation.objects.filter(partnership=True).count()
            messages.success(
                request,
                f"Loaded {record.file_name}: {record.organisations_read} organisations; "
                f"{members} of the list roll up to the partnership.",
            )
            return redirect("system:organisations")
    by_kind = {
        row["kind"]: row
        for row in Organisation.objects.values("kind").annotate(
            n=Count("id"),
            closed=Count("id", filter=Q(close_date__isnull=False)),
            members=Count("id", filter=Q(partnership=True)),
        )
    }
    return render(
        request,
        "system/organisations.jinja",
        {
            "title": "Organisation list (ODS)",
            "form": form,
            "issues": issues,
            "kinds": [(k, by_kind.get(k.kind)) for k in KINDS],
            "members": Organisation.objects.filter(partnership=True).order_by("kind", "code")[:200],
            "loads": OrganisationLoad.objects.select_related("user")[:20],
        },
    )
