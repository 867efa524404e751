"""The long list of options and one option's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from stpkit.web.accounts.roles import area_required
from stpkit.web.core.audit import history_for
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms, links, services
from stpkit.web.decisions.models import Option
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action

OPTION_COLUMNS = [
    ("code", "Code"),
    ("name", "Option"),
    ("members", "Sites"),
    ("list", "Reached"),
    ("origin", "Origin"),
    ("failed", "Hurdles failed and why"),
]
# shown when the capital plan (enabling workstreams) is installed: see `links.options_capital`
CAPITAL_COLUMN = ("capital", "Capital from the capital plan (GBP)")


@area_required(AREA)
def options(request: HttpRequest, slug: str) -> HttpResponse:
    prog = programme_or_404(slug)
    back = reverse("decisions:options", args=[slug])
    if request.method == "POST":
        return run_action(request, back, forms.OPTIONS_ACTIONS, default="add", prog=prog)
    rows = []
    listed = list(prog.options.prefetch_related("hurdle_results__criterion"))
    capital = links.options_capital([(o.code, o.name) for o in listed])
    for i, o in enumerate(listed):
        failed = [r for r in o.hurdle_results.all() if not r.passed]
        row: dict[str, object] = {
            "code": o.code,
            "name": o.name,
            "members": o.members,
            "list": o.get_reached_display(),
            "origin": o.get_origin_display(),
            "failed": "; ".join(f"{r.criterion.name}: {r.reason}" for r in failed),
        }
        if capital is not None:
            row["capital"] = round(capital[i])
        rows.append(row)
    columns = OPTION_COLUMNS + ([CAPITAL_COLUMN] if capital is not None else [])
    download = table_download(request, rows, columns, f"{slug}-options")
    if download:
        return download
    return page(
        request,
        "options.jinja",
        prog,
        title=f"Options – {prog.name}",
        columns=columns,
        rows=rows,
        funnel=services.funnel(prog),
    )


def _capital_of(o: Option) -> float | None:
    """The option's capital from the capital plan; None when the plan is not installed."""
    found = links.options_capital([(o.code, o.name)])
    return None if found is None else found[0]


@area_required(AREA)
def option(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    prog = programme_or_404(slug)
    o = get_object_or_404(Option, programme=prog, code=code)
    back = reverse("decisions:option", args=[slug, code])
    if request.method == "POST":
        return run_action(request, back, forms.OPTION_ACTIONS, default="save", prog=prog, option=o)
    return page(
        request,
        "option.jinja",
        prog,
        title=f"Option {o.code} – {prog.name}",
        option=o,
        results=o.hurdle_results.select_related("criterion"),
        metrics=sorted(o.metrics.items()),
        capital=_capital_of(o),
        history=history_for(o),
        dimensions=[
            ("scope", "Scope"),
            ("service_solution", "Service solution"),
            ("service_delivery", "Service delivery"),
            ("implementation", "Implementation"),
            ("funding", "Funding"),
        ],
    )
