"""The portfolio that fits the resources: chosen exactly, the trade-off curve as the money
available changes, what drops out and why; initiatives and resource limits edited here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from stpkit import enablers as eng
from stpkit.charts import enablers as charts
from stpkit.web.accounts.roles import area_required
from stpkit.web.core.tables import table_download
from stpkit.web.enablers import services
from stpkit.web.enablers.forms import InitiativeForm, LimitForm, NeedForm
from stpkit.web.enablers.models import RESOURCES, Initiative, InitiativeNeed
from stpkit.web.enablers.views._common import edit_page, require_office
from stpkit.web.programme.permissions import edits_everything

CHOICE_COLUMNS = [
    ("code", "Initiative"),
    ("name", "Name"),
    ("workstream", "Workstream"),
    ("value", "Value (points)"),
    ("money", "Money, all years (GBP)"),
    ("wte", "WTE-years"),
    ("decision", "In the portfolio"),
    ("reason", "Why left out"),
]
CURVE_COLUMNS = [
    ("scale", "Money available (% of today's limits)"),
    ("value", "Best total value (points)"),
    ("chosen", "Initiatives chosen"),
    ("proven", "Proven optimal"),
]
LIMIT_COLUMNS = [
    ("resource", "Resource"),
    ("period", "Year"),
    ("amount", "Limit"),
    ("used", "Used by the portfolio"),
]


SPLIT_COLUMNS = [
    ("part", "Part of the value"),
    ("chosen", "In the portfolio (points)"),
    ("left_out", "Left out (points)"),
]
PART_FIELDS = {
    "benefits": "value_benefits",
    "health": "value_health",
    "care": "value_care",
    "finance": "value_finance",
}


def _parts_text(ini: Initiative) -> str:
    """'Benefits 10, Health and wellbeing gap 5, ..., less risk 3', or why there are none."""
    parts = [
        f"{eng.VALUE_PARTS[k]} {getattr(ini, f)}"
        for k, f in PART_FIELDS.items()
        if getattr(ini, f) is not None
    ]
    if not parts and ini.value_risk is None:
        return "Scored as one figure"
    risk = f", less risk {ini.value_risk}" if ini.value_risk else ""
    return ", ".join(parts) + risk


def value_split(chosen: set[str]) -> list[dict[str, object]]:
    """The portfolio's value split into benefits, the three gaps and risk, for what is
    chosen and what is left out; initiatives scored as one figure form their own row."""
    rows = {k: {"part": label, "chosen": 0, "left_out": 0} for k, label in eng.VALUE_PARTS.items()}
    rows["risk"] = {"part": "Less: delivery risk", "chosen": 0, "left_out": 0}
    rows["whole"] = {"part": "Scored as one figure (no split)", "chosen": 0, "left_out": 0}
    fields = ["code", "value", "value_risk", *PART_FIELDS.values()]
    for ini in Initiative.objects.values(*fields):
        side = "chosen" if ini["code"] in chosen else "left_out"
        given = {k: ini[f] for k, f in PART_FIELDS.items() if ini[f] is not None}
        if not given and ini["value_risk"] is None:
            rows["whole"][side] += ini["value"]  # type: ignore[operator]
            continue
        for k, v in given.items():
            rows[k][side] += v  # type: ignore[operator]
        rows["risk"][side] -= ini["value_risk"] or 0  # type: ignore[operator]
    return [r for r in rows.values() if r["chosen"] or r["left_out"]]


@area_required("programme")
def portfolio(request: HttpRequest) -> HttpResponse:
    items = services.engine_initiatives()
    limits = services.limits()
    pks = dict(Initiative.objects.values_list("code", "pk"))
    choice, problem = services.portfolio_choice(items, limits)
    chosen = set(choice.chosen) if choice else set()
    reasons = {d.code: d.reason for d in choice.dropped} if choice else {}
    rows = [
        {
            "_url": reverse("enablers:initiative", args=[pks[i.code]]),
            "code": i.code,
            "name": i.name,
            "workstream": i.workstream,
            "value": round(i.value),
            "money": round(sum(v for k, v in i.needs.items() if k[0] == "money")),
            "wte": round(sum(v for k, v in i.needs.items() if k[0] != "money"), 1),
            "decision": "Yes" if i.code in chosen else "No",
            "reason": reasons.get(i.code, ""),
        }
        for i in items
    ]
    rows.sort(key=lambda r: (r["decision"] != "Yes", r["code"]))
    split_rows = value_split(chosen)
    if request.GET.get("table") == "split":
        download = table_download(request, split_rows, SPLIT_COLUMNS, "portfolio-value-split")
        if download:
            return download
    if request.GET.get("table") == "curve":
        curve = services.portfolio_curve(items, limits) if choice else []
        curve_rows = [
            {
                "scale": round(100 * p.scale),
                "value": p.value if p.value == p.value else None,
                "chosen": p.chosen,
                "proven": "Yes" if p.proven_optimal else "No",
            }
            for p in curve
        ]
        download = table_download(request, curve_rows, CURVE_COLUMNS, "portfolio-curve")
        if download:
            return download
    else:
        curve_rows = []
        download = table_download(request, rows, CHOICE_COLUMNS, "portfolio")
        if download:
            return download
    limit_rows = [
        {
            "resource": RESOURCES.get(k[0], k[0]),
            "period": k[1],
            "amount": v,
            "used": round(choice.used.get(k, 0.0), 1) if choice else None,
        }
        for k, v in sorted(limits.items())
    ]
    facts = []
    if choice:
        facts = [
            ("Chosen", f"{len(choice.chosen)} of {len(items)} initiatives"),
            ("Total value", f"{choice.value:,.0f} points"),
            ("Proven optimal", "Yes" if choice.proven_optimal else f"No ({choice.status})"),
        ]
    elif problem:
        facts = [("No portfolio", problem)]
    actions = [(reverse("enablers:portfolio") + "?table=curve", "Show the trade-off curve")]
    if edits_everything(request.user):
        actions += [
            (reverse("enablers:initiative_new"), "Add an initiative"),
            (reverse("enablers:limit_new"), "Set a resource limit"),
        ]
    tables = [
        {
            "heading": "Initiatives",
            "caption": "Initiatives in and out of the portfolio",
            "columns": CHOICE_COLUMNS,
            "rows": rows,
            "download": True,
            "numeric": ["value", "money", "wte"],
            "empty": "No initiatives yet.",
        },
        {
            "heading": "Value by part",
            "caption": "What the portfolio's value is made of: benefits, the three gaps, less risk",
            "note": "Download with ?table=split&format=csv.",
            "columns": SPLIT_COLUMNS,
            "rows": split_rows,
            "numeric": ["chosen", "left_out"],
            "empty": "No initiatives yet.",
        },
        {
            "heading": "Resources",
            "caption": "Resource limits and what the portfolio uses",
            "columns": LIMIT_COLUMNS,
            "rows": limit_rows,
            "numeric": ["amount", "used"],
            "empty": "No limits set: every initiative fits.",
        },
    ]
    if curve_rows:
        tables.insert(
            0,
            {
                "heading": "Trade-off curve",
                "caption": "Best value as the money available changes",
                "note": "Each point is the exact best portfolio with money scaled; "
                "download with &format=csv.",
                "columns": CURVE_COLUMNS,
                "rows": curve_rows,
                "charts": [charts.tradeoff_curve(curve_rows, chart_id="enablers-curve")],
                "numeric": ["scale", "value", "chosen"],
            },
        )
    return render(
        request,
        "enablers/page.jinja",
        {
            "title": "Portfolio",
            "intro": "Not everything can be done at once: the initiatives that give the most "
            "value within the money and staff available in every year, chosen exactly "
            "(an integer programme solved with HiGHS).",
            "facts": facts,
            "actions": actions,
            "tables": tables,
        },
    )


@area_required("programme")
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    ini = get_object_or_404(Initiative.objects.select_related("workstream"), pk=pk)
    can_edit = edits_everything(request.user)
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            InitiativeNeed.objects.update_or_create(
                initiative=ini,
                resource=form.cleaned_data["resource"],
                period=form.cleaned_data["period"],
                defaults={"amount": form.cleaned_data["amount"]},
            )
            messages.success(request, f"Need recorded for {ini.code}.")
            return redirect("enablers:initiative", pk=ini.pk)
    needs = [
        {"resource": n.get_resource_display(), "period": n.period, "amount": n.amount}
        for n in ini.needs.order_by("resource", "period")
    ]
    return render(
        request,
        "enablers/form.jinja",
        {
            "title": str(ini),
            "caption": ini.workstream.name,
            "facts": [
                ("Value", f"{ini.value} points"),
                ("Value in parts", _parts_text(ini)),
                ("Benefits", ini.benefits or "–"),
                ("Mandatory", "Yes" if ini.mandatory else "No"),
                ("Requires", ", ".join(str(r) for r in ini.requires.all()) or "None"),
            ],
            "tables": [
                {
                    "caption": "Resources needed",
                    "columns": [("resource", "Resource"), ("period", "Year"), ("amount", "Amount")],
                    "rows": needs,
                    "numeric": ["amount"],
                }
            ],
            "form": form,
            "form_visible": can_edit,
            "submit": "Record a need",
            "links": [(reverse("enablers:initiative_edit", args=[ini.pk]), "Edit the initiative")]
            if can_edit
            else [],
            "back": reverse("enablers:portfolio"),
        },
    )


@area_required("programme", edit=True)
def initiative_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = InitiativeForm(request.POST or None, instance=Initiative())
    return edit_page(
        request,
        form,
        title="Add an initiative",
        back=reverse("enablers:portfolio"),
        done=lambda o: reverse("enablers:initiative", args=[o.pk]),
    )


@area_required("programme", edit=True)
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_office(request.user)
    ini = get_object_or_404(Initiative, pk=pk)
    form = InitiativeForm(request.POST or None, instance=ini)
    return edit_page(
        request,
        form,
        title=f"Edit {ini}",
        back=reverse("enablers:initiative", args=[ini.pk]),
        done=lambda o: reverse("enablers:initiative", args=[o.pk]),
    )


@area_required("programme", edit=True)
def limit_new(request: HttpRequest) -> HttpResponse:
    require_office(request.user)
    form = LimitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limit = services.set_limit(user=request.user, **form.cleaned_data)
        messages.success(request, f"“{limit}” set to {limit.amount:,g}.")
        return redirect("enablers:portfolio")
    return render(
        request,
        "enablers/form.jinja",
        {
            "title": "Set a resource limit",
            "form": form,
            "back": reverse("enablers:portfolio"),
            "history": None,
        },
    )
