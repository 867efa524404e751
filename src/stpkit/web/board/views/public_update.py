"""The public "Programme Board meeting update": generate, edit, publish, download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from stpkit.reports import board_pack
from stpkit.reports.board_update import to_html
from stpkit.web.accounts.roles import area_required
from stpkit.web.board.forms import PublicUpdateForm, PublishStepForm
from stpkit.web.board.models import BoardUpdateDraft
from stpkit.web.board.pack import pack_for
from stpkit.web.board.permissions import is_office
from stpkit.web.board.services import generate_update, save_public_update, set_published, update_for
from stpkit.web.board.views.meetings import meeting_by_date
from stpkit.web.core.audit import StaleEditError, history_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@area_required("programme")
def public_update(request: HttpRequest, meeting_date: str) -> HttpResponse:
    meeting = meeting_by_date(meeting_date)
    draft = BoardUpdateDraft.objects.filter(meeting=meeting).first()
    office = is_office(request.user)
    if request.method == "POST":
        if not office:
            raise PermissionDenied("Only the programme office generates and publishes updates.")
        form = PublishStepForm(request.POST)
        step = form.cleaned_data["step"] if form.is_valid() else ""
        if step == "generate":
            if draft and draft.is_published:
                messages.error(request, "This update is published; unpublish it to regenerate.")
            else:
                generate_update(meeting=meeting, user=request.user)
                messages.success(request, "Generated the update from the meeting's records.")
        elif draft and step in ("publish", "unpublish"):
            try:
                set_published(
                    draft=draft,
                    user=request.user,
                    publish=step == "publish",
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEditError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"The update is {step}ed.")
        return redirect("board:public_update", meeting_date)
    if draft is None or (not draft.is_published and not office):
        # Readers other than the office see only what has been published.
        return render(
            request,
            "board/public_update_missing.jinja",
            {
                "title": f"Board update: {meeting}",
                "meeting": meeting,
                "draft": draft,
                "office": office,
            },
        )
    return render(
        request,
        "board/public_update.jinja",
        {
            "title": f"Board update: {meeting}",
            "meeting": meeting,
            "draft": draft,
            "html": to_html(update_for(draft), heading_level=2),
            "office": office,
            "history": history_for(draft),
        },
    )


@area_required("programme")
def public_update_edit(request: HttpRequest, meeting_date: str) -> HttpResponse:
    meeting = meeting_by_date(meeting_date)
    if not is_office(request.user):
        raise PermissionDenied("Only the programme office edits the board update.")
    draft = BoardUpdateDraft.objects.filter(meeting=meeting).first() or generate_update(
        meeting=meeting, user=request.user
    )
    form = PublicUpdateForm(request.POST or None, instance=draft)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_public_update(
                draft=form.save(commit=False),
                user=request.user,
                expected_version=form.expected_version,
            )
        except StaleEditError as exc:
            stale = str(exc)
        else:
            messages.success(request, "Saved your changes to the board update.")
            return redirect("board:public_update", meeting_date)
    return render(
        request,
        "board/public_update_edit.jinja",
        {
            "title": f"Edit board update: {meeting}",
            "meeting": meeting,
            "form": form,
            "stale": stale,
        },
    )


def _paper(request: HttpRequest, meeting_date: str, kind: str) -> HttpResponse:
    """The board update as a paper to send (RAG table, charts, escalated risks, sections
    from the system view and the enablers, the audit witness): Word or PDF."""
    meeting = meeting_by_date(meeting_date)
    draft = BoardUpdateDraft.objects.filter(meeting=meeting).first()
    office = is_office(request.user)
    if draft is None or (not draft.is_published and not office):
        return render(
            request,
            "board/public_update_missing.jinja",
            {
                "title": f"Board update: {meeting}",
                "meeting": meeting,
                "draft": draft,
                "office": office,
            },
        )
    pack = pack_for(meeting, draft)
    if kind == "pdf":
        response = HttpResponse(board_pack.to_pdf(pack), content_type="application/pdf")
    else:
        response = HttpResponse(board_pack.to_docx(pack), content_type=DOCX_TYPE)
    name = f"programme-board-update-{meeting.date:%Y-%m-%d}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@area_required("programme")
def public_update_docx(request: HttpRequest, meeting_date: str) -> HttpResponse:
    return _paper(request, meeting_date, "docx")


@area_required("programme")
def public_update_pdf(request: HttpRequest, meeting_date: str) -> HttpResponse:
    return _paper(request, meeting_date, "pdf")
