"""A savings scheme's edit form: its name and delivery confidence, one audited, versioned
save (the scheme's months come from the savings import)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import StaleEditError
from stpkit.web.productivity import models as m
from stpkit.web.productivity import services
from stpkit.web.productivity.forms import SchemeForm


@area_required("productivity", edit=True)
def scheme_edit(request: HttpRequest, slug: str, scheme: str) -> HttpResponse:
    obj = get_object_or_404(
        m.Scheme, working_group__slug=slug, plan_year=services.PLAN_YEAR, slug=scheme
    )
    back = reverse("productivity:working_group", kwargs={"slug": slug})
    form = SchemeForm(request.POST or None, instance=obj, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_scheme(
                scheme=form.save(commit=False),
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved {obj}.")
            return redirect(back)
    return render(
        request,
        "productivity/edit.jinja",
        {"title": f"Edit {obj.name}", "form": form, "back": back, "obj": obj},
    )
