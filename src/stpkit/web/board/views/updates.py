"""Reporting periods and monthly workstream updates: submit, review, accept or send back,
and the RAG trend."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.charts.board import RAG_COLOURS, confidence_trend
from stpkit.programme import RAG_ORDER as ORDER
from stpkit.programme import mean_rating, worst
from stpkit.web.accounts.roles import area_required
from stpkit.web.board.forms import PeriodForm, ReviewForm, UpdateForm
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.permissions import can_submit_update, is_office, leads
from stpkit.web.board.services import month_key, parse_month, review_update, save_update
from stpkit.web.core.audit import StaleEditError, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.programme.models import RiskPolicy, Workstream
from stpkit.web.programme.queries import escalated_risks


def _period(month: str) -> ReportingPeriod:
    day = parse_month(month)
    if day is None:
        raise Http404("No such month")
    return get_object_or_404(ReportingPeriod, month=day)


@area_required("programme")
def index(request: HttpRequest) -> HttpResponse:
    period = ReportingPeriod.objects.first()
    rows: list[dict[str, Any]] = []
    overall = softer = None
    if period:
        updates = {u.workstream_id: u for u in period.updates.all()}
        for ws in Workstream.objects.all():
            u = updates.get(ws.pk)
            rows.append({"workstream": ws, "entry": u})
        accepted = [u.rag for u in updates.values() if u.status == WorkstreamUpdate.Status.ACCEPTED]
        overall, softer = worst(accepted), mean_rating(accepted)
    policy = RiskPolicy.current()
    escalated = escalated_risks(policy).select_related("workstream")
    return render(
        request,
        "board/index.jinja",
        {
            "title": "Programme board",
            "period": period,
            "rows": rows,
            "overall": overall,
            "softer": softer,
            "office": is_office(request.user),
            "mine": [r["workstream"] for r in rows if leads(request.user, r["workstream"])],
            "ratings": ORDER,
            "month_key": month_key,
            "policy": policy,
            "escalated": list(escalated[:10]),
            "escalated_total": escalated.count(),
        },
    )


@area_required("programme")
def periods(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office opens reporting periods.")
        if form.is_valid():
            day = form.cleaned_data["month"].replace(day=1)
            period, created = ReportingPeriod.objects.get_or_create(month=day)
            messages.success(
                request, f"{period} {'opened' if created else 'was already open'} for updates."
            )
            return redirect("board:period", month_key(day))
    rows = [
        {
            "period": p,
            "key": month_key(p.month),
            "submitted": sum(1 for u in p.updates.all() if u.status != "draft"),
            "accepted": sum(1 for u in p.updates.all() if u.status == "accepted"),
        }
        for p in ReportingPeriod.objects.prefetch_related("updates")
    ]
    return render(
        request,
        "board/periods.jinja",
        {
            "title": "Reporting periods",
            "rows": rows,
            "form": form,
            "office": is_office(request.user),
        },
    )


@area_required("programme")
def period_detail(request: HttpRequest, month: str) -> HttpResponse:
    period = _period(month)
    updates = {u.workstream_id: u for u in period.updates.select_related("submitted_by")}
    rows = []
    for ws in Workstream.objects.all():
        u = updates.get(ws.pk)
        rows.append(
            {
                "workstream": ws.name,
                "slug": ws.slug,
                "confidence": u.rag.label if u else "",
                "status": u.get_status_display() if u else "Not started",
                "narrative": u.narrative if u else "",
                "achievements": u.achievements if u else "",
                "next_steps": u.next_steps if u else "",
                "key_risks": u.key_risks if u else "",
                "can_submit": can_submit_update(request.user, ws),
                "entry": u,
            }
        )
    columns = [
        ("workstream", "Workstream"),
        ("confidence", "Delivery confidence"),
        ("status", "Status"),
        ("narrative", "Summary"),
        ("achievements", "Achievements"),
        ("next_steps", "Next steps"),
        ("key_risks", "Key risks"),
    ]
    download = table_download(request, rows, columns, f"updates-{month}")
    if download:
        return download
    return render(
        request,
        "board/period.jinja",
        {"title": f"Updates for {period}", "period": period, "month": month, "rows": rows},
    )


def _update_context(
    request: HttpRequest, period: ReportingPeriod, ws: Workstream
) -> dict[str, Any]:
    update = WorkstreamUpdate.objects.filter(period=period, workstream=ws).first()
    return {
        "period": period,
        "month": month_key(period.month),
        "workstream": ws,
        "update": update,
        "can_submit": can_submit_update(request.user, ws),
        "office": is_office(request.user),
        "history": history_for(update) if update else [],
        "colours": RAG_COLOURS,
    }


@area_required("programme")
def update_detail(request: HttpRequest, month: str, slug: str) -> HttpResponse:
    """Read an update; the programme office accepts it or sends it back from here."""
    period = _period(month)
    ws = get_object_or_404(Workstream, slug=slug)
    context = _update_context(request, period, ws)
    update: WorkstreamUpdate | None = context["update"]
    form = ReviewForm(request.POST or None, initial={"version": update.version if update else 1})
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office reviews updates.")
        if update is None or update.status != WorkstreamUpdate.Status.SUBMITTED:
            messages.error(request, "Only a submitted update can be reviewed.")
            return redirect("board:update", month, slug)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                review_update(
                    update=update,
                    user=request.user,
                    accept=accept,
                    comment=form.cleaned_data["comment"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEditError as exc:
                messages.error(request, str(exc))
                return redirect("board:update", month, slug)
            messages.success(
                request,
                f"The {ws.name} update was {'accepted' if accept else 'sent back to the lead'}.",
            )
            return redirect("board:period", month)
    context.update({"title": f"{ws.name}: {period}", "form": form})
    return render(request, "board/update.jinja", context)


@area_required("programme", edit=True)
def update_edit(request: HttpRequest, month: str, slug: str) -> HttpResponse:
    """A lead (their own workstream) or the programme office writes and submits an update."""
    period = _period(month)
    ws = get_object_or_404(Workstream, slug=slug)
    if not can_submit_update(request.user, ws):
        raise PermissionDenied("Only this workstream's lead or the programme office may edit it.")
    existing = WorkstreamUpdate.objects.filter(period=period, workstream=ws).first()
    if (
        existing
        and existing.status == WorkstreamUpdate.Status.ACCEPTED
        and not is_office(request.user)
    ):
        raise PermissionDenied("This update has been accepted; ask the programme office.")
    instance = existing or WorkstreamUpdate(period=period, workstream=ws)
    form = UpdateForm(request.POST or None, instance=instance)
    stale = None
    if request.method == "POST" and form.is_valid():
        submit = form.cleaned_data["submit"]
        try:
            save_update(
                update=form.save(commit=False),
                user=request.user,
                submit=submit,
                expected_version=form.expected_version,
            )
        except StaleEditError as exc:
            stale = str(exc)
        except IntegrityError:
            stale = (
                f"Someone else started the {ws.name} update for {period} after you opened this "
                "page. Your changes were not saved: reload the page to see theirs."
            )
        else:
            messages.success(
                request,
                f"Your {ws.name} update for {period} was "
                f"{'submitted to the programme office' if submit else 'saved as a draft'}.",
            )
            return redirect("board:update", month, slug)
    context = _update_context(request, period, ws)
    context.update(
        {"title": f"Update for {ws.name}, {period}", "form": form, "stale": stale, "ratings": ORDER}
    )
    return render(request, "board/update_edit.jinja", context)


@area_required("programme")
def trend(request: HttpRequest) -> HttpResponse:
    """Delivery confidence per workstream over time (accepted updates only)."""
    show_all = request.GET.get("include") == "unreviewed"
    updates = WorkstreamUpdate.objects.select_related("period", "workstream")
    if not show_all:
        updates = updates.filter(status=WorkstreamUpdate.Status.ACCEPTED)
    months = sorted({u.period.month for u in updates})
    workstreams = list(Workstream.objects.all())
    grid = {(u.workstream_id, u.period.month): u.rag for u in updates}
    rows = []
    for ws in workstreams:
        row: dict[str, Any] = {"workstream": ws.name}
        for m in months:
            rating = grid.get((ws.pk, m))
            row[month_key(m)] = rating.label if rating else None
        rows.append(row)
    programme_row: dict[str, Any] = {"workstream": "Programme (worst)"}
    for m in months:
        rating = worst(r for (_, mm), r in grid.items() if mm == m)
        programme_row[month_key(m)] = rating.label if rating else None
    rows.append(programme_row)
    columns = [("workstream", "Workstream")] + [(month_key(m), f"{m:%b %Y}") for m in months]
    download = table_download(request, rows, columns, "delivery-confidence-trend")
    if download:
        return download
    points = [
        {"workstream": ws.name, "month": f"{m:%b %Y}", "rating": grid[(ws.pk, m)].label}
        for ws in workstreams
        for m in months
        if (ws.pk, m) in grid
    ]
    return render(
        request,
        "board/trend.jinja",
        {
            "title": "Delivery confidence over time",
            "spec": confidence_trend(points) if points else None,
            "rows": rows,
            "columns": columns,
            "show_all": show_all,
            "ratings": ORDER,
            "colours": {r.label: RAG_COLOURS[r] for r in ORDER},
        },
    )
