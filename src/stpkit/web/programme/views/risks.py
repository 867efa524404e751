"""The risk and issue register: per workstream and programme-wide, heat map, history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.programme import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS, heat_map
from stpkit.web.accounts.roles import area_required
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.programme.forms import RiskForm, RiskPolicyForm
from stpkit.web.programme.models import Risk, RiskPolicy, Workstream
from stpkit.web.programme.permissions import (
    can_edit_workstream,
    editable_workstreams,
    edits_everything,
    require_edit,
)
from stpkit.web.programme.queries import escalated_q, overdue_review_q
from stpkit.web.programme.services import save_risk, save_risk_policy
from stpkit.web.programme.tables import (
    RISK_COLUMNS,
    RISK_PAGE_COLUMNS,
    paginate,
    risk_rows,
    wants_download,
)

SCORE_COLUMNS = [
    ("recorded_at", "When"),
    ("likelihood", "Likelihood"),
    ("consequence", "Consequence"),
    ("score", "Score"),
    ("band", "Band"),
    ("by", "By"),
]


@area_required("programme")
def risk_list(request: HttpRequest) -> HttpResponse:
    policy = RiskPolicy.current()
    risks = Risk.objects.select_related("workstream").order_by("-score", "title", "id")
    scope = request.GET.get("workstream", "")
    if scope == "programme":
        risks = risks.filter(workstream__isnull=True)
    elif scope:
        risks = risks.filter(workstream__slug=scope)
    status = request.GET.get("status", "open")
    if status in ("open", "closed"):
        risks = risks.filter(status=status)
    escalated_only = request.GET.get("escalated") == "1"
    if escalated_only:
        risks = risks.filter(escalated_q(policy.escalation_threshold))
    today = clock.today()
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        risks = risks.filter(overdue_review_q(today))
    cell = request.GET.get("cell", "")
    if cell and len(cell) == 2 and cell.isdigit():
        risks = risks.filter(likelihood=int(cell[0]), consequence=int(cell[1]))
    if wants_download(request):  # every row, not one page
        download = table_download(request, risk_rows(risks, policy, today), RISK_COLUMNS, "risks")
        if download:
            return download
    pages = paginate(request, risks)
    return render(
        request,
        "programme/risks.jinja",
        {
            "title": "Risks and issues",
            "rows": risk_rows(pages.items, policy, today),
            "pages": pages,
            "columns": RISK_PAGE_COLUMNS,
            "heat": heat_map(risks.values_list("likelihood", "consequence"), policy.bands),
            "policy": policy,
            "workstreams": Workstream.objects.all(),
            "scope": scope,
            "status": status,
            "escalated_only": escalated_only,
            "overdue_only": overdue_only,
            "likelihood_labels": LIKELIHOOD_LABELS,
            "consequence_labels": CONSEQUENCE_LABELS,
            "can_add": bool(editable_workstreams(request.user)) or edits_everything(request.user),
            "can_edit_all": edits_everything(request.user),
        },
    )


@area_required("programme")
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("workstream"), pk=pk)
    policy = RiskPolicy.current()
    scores = list(risk.scores.select_related("recorded_by"))
    rows = [
        {
            "recorded_at": s.recorded_at,
            "likelihood": s.likelihood,
            "consequence": s.consequence,
            "score": s.score,
            "band": policy.bands.band_for(s.score).label,
            "by": s.recorded_by.display_name if s.recorded_by else "the system",
        }
        for s in scores
    ]
    download = table_download(request, rows, SCORE_COLUMNS, f"risk-R{risk.pk}-scores")
    if download:
        return download
    return render(
        request,
        "programme/risk.jinja",
        {
            "title": risk.title,
            "risk": risk,
            "row": risk_rows([risk], policy)[0],
            "scores": rows,
            "policy": policy,
            "can_edit": can_edit_workstream(request.user, risk.workstream),
            "history": history_for(risk)[:50],
        },
    )


def _risk_form(request: HttpRequest, risk: Risk, title: str) -> HttpResponse:
    allowed = editable_workstreams(request.user)
    form = RiskForm(request.POST or None, instance=risk, workstreams=allowed)
    if not edits_everything(request.user):
        form.fields["workstream"].required = True
    stale = ""
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        require_edit(request.user, candidate.workstream)
        try:
            save_risk(risk=candidate, user=request.user, expected_version=form.expected_version)
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, f"“{candidate.title}” saved (score {candidate.score}).")
            return redirect("programme:risk", pk=candidate.pk)
    back = ("programme:risk", risk.pk) if risk.pk else ("programme:risks",)
    return render(
        request,
        "programme/form.jinja",
        {
            "title": title,
            "form": form,
            "stale": stale,
            "back": back,
            "caption": "Risks and issues",
            "no_workstreams": not allowed,
        },
    )


@area_required("programme", edit=True)
def risk_new(request: HttpRequest) -> HttpResponse:
    risk = Risk()
    slug = request.GET.get("workstream")
    if slug:
        risk.workstream = get_object_or_404(Workstream, slug=slug)
    return _risk_form(request, risk, "Add a risk or issue")


@area_required("programme", edit=True)
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("workstream"), pk=pk)
    require_edit(request.user, risk.workstream)
    return _risk_form(request, risk, f"Edit “{risk.title}”")


@area_required("programme", edit=True)
def risk_policy(request: HttpRequest) -> HttpResponse:
    require_edit(request.user, None)
    policy = RiskPolicy.current()
    form = RiskPolicyForm(request.POST or None, instance=policy)
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            save_risk_policy(
                policy=form.save(commit=False),
                user=request.user,
                expected_version=form.expected_version,
            )
        except StaleEditError as err:
            stale = str(err)
        else:
            messages.success(request, "Risk bands saved.")
            return redirect("programme:risks")
    return render(
        request,
        "programme/form.jinja",
        {
            "title": "Risk bands and escalation",
            "form": form,
            "stale": stale,
            "back": ("programme:risks",),
            "caption": "Risks and issues",
            "history": history_for(policy)[:20],
        },
    )
