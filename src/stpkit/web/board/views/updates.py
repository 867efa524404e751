"""Reporting periods and monthly workstream updates: submit, review, accept or send back,
and the RAG trend."""

from __future__ import annotations

from typing import Any

import altair as alt
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from stpkit.programme.rag import LABELS, ORDER, Rag, mean_rating, worst
from stpkit.web.accounts.roles import area_required
from stpkit.web.board.forms import PeriodForm, ReviewForm, UpdateForm
from stpkit.web.board.models import ReportingPeriod, WorkstreamUpdate
from stpkit.web.board.permissions import can_submit_update, is_office, leads
from stpkit.web.board.services import month_key, parse_month
from stpkit.web.core.audit import StaleEditError, audited_save, history_for
from stpkit.web.core.tables import table_download
from stpkit.web.programme.models import RiskPolicy, Workstream
from stpkit.web.programme.queries import escalated_risks

RAG_COLOURS = {
    Rag.GREEN: "#007f3b",
    Rag.AMBER_GREEN: "#78be20",
    Rag.AMBER: "#ffb81c",
    Rag.AMBER_RED: "#ed8b00",
    Rag.RED: "#d5281b",
}


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
            update.status = (
                WorkstreamUpdate.Status.ACCEPTED if accept else WorkstreamUpdate.Status.RETURNED
            )
            update.review_comment = form.cleaned_data["comment"].strip()
            try:
                audited_save(
                    update,
                    request.user,
                    expected_version=form.cleaned_data["version"],
                    reason="Accepted" if accept else "Sent back",
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
        update = form.save(commit=False)
        submit = "submit" in request.POST
        if submit:
            update.status = WorkstreamUpdate.Status.SUBMITTED
            update.submitted_by = request.user
            update.submitted_at = timezone.now()
        elif update.status == WorkstreamUpdate.Status.ACCEPTED:
            pass  # the office corrects an accepted update without reopening it
        elif update.status != WorkstreamUpdate.Status.RETURNED:
            update.status = WorkstreamUpdate.Status.DRAFT
        try:
            audited_save(
                update,
                request.user,
                expected_version=form.expected_version,
                reason="Submitted" if submit else "Saved",
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


def trend_spec(points: list[dict[str, Any]]) -> dict[str, Any]:
    """A month x workstream grid coloured by delivery confidence."""
    labels = [LABELS[r] for r in ORDER]
    chart = (
        alt.Chart(alt.Data(values=points))
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("month:O", title=None, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("workstream:N", title=None, sort=None),
            color=alt.Color(
                "rating:N",
                title="Delivery confidence",
                scale=alt.Scale(domain=labels, range=[RAG_COLOURS[r] for r in ORDER]),
            ),
            tooltip=["workstream:N", "month:O", "rating:N"],
        )
        .properties(width="container", height=30 * max(1, len({p["workstream"] for p in points})))
    )
    return chart.to_dict()


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
            "spec": trend_spec(points) if points else None,
            "rows": rows,
            "columns": columns,
            "show_all": show_all,
            "ratings": ORDER,
        },
    )
