"""Board meetings: agenda, papers, decisions, the actions log and actions carried forward."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from stpkit.web.accounts.roles import area_required
from stpkit.web.board.forms import (
    ActionForm,
    AgendaItemForm,
    CloseActionForm,
    DecisionForm,
    MeetingForm,
    PaperForm,
    WhichForm,
)
from stpkit.web.board.models import Action, AgendaItem, BoardMeeting, Paper
from stpkit.web.board.permissions import is_office
from stpkit.web.board.services import add_meeting, add_to_meeting, carried_forward, close_action
from stpkit.web.core import clock
from stpkit.web.core.audit import StaleEditError
from stpkit.web.core.tables import table_download
from stpkit.web.programme.models import RiskPolicy
from stpkit.web.programme.queries import escalated_risks_on

ACTION_COLUMNS = [
    ("meeting", "Raised at"),
    ("description", "Action"),
    ("owner", "Owner"),
    ("due", "Due"),
    ("status", "Status"),
    ("closed_on", "Closed"),
]


def meeting_by_date(text: str) -> BoardMeeting:
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise Http404("No meeting on that date") from exc
    return get_object_or_404(BoardMeeting, date=day)


def action_row(a: Action) -> dict[str, Any]:
    return {
        "meeting": str(a.meeting),
        "description": a.description,
        "owner": a.owner,
        "due": a.due,
        "status": a.get_status_display(),
        "closed_on": a.closed_on,
        "action": a,
        "overdue": a.status == Action.Status.OPEN and a.due < clock.today(),
    }


@area_required("programme")
def meetings(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office adds meetings.")
        if form.is_valid():
            meeting = form.save(commit=False)
            add_meeting(meeting=meeting, user=request.user)
            messages.success(request, f"Added {meeting}.")
            return redirect("board:meeting", meeting.date.isoformat())
    rows = [
        {
            "meeting": m,
            "items": m.items.count(),
            "decisions": m.decisions.count(),
            "actions": m.actions.count(),
        }
        for m in BoardMeeting.objects.all()
    ]
    return render(
        request,
        "board/meetings.jinja",
        {"title": "Board meetings", "rows": rows, "form": form, "office": is_office(request.user)},
    )


FORMS = {"item": AgendaItemForm, "decision": DecisionForm, "action": ActionForm}


@area_required("programme")
def meeting_detail(request: HttpRequest, meeting_date: str) -> HttpResponse:
    meeting = meeting_by_date(meeting_date)
    kind = WhichForm.posted(request.POST, [*FORMS, "paper", "close"])
    forms: dict[str, BaseForm] = {}
    for name, form_class in FORMS.items():
        bound = request.POST if kind == name else None
        model = form_class.Meta.model  # type: ignore[attr-defined]
        form = form_class(bound, instance=model(meeting=meeting), prefix=name)
        if "item" in form.fields:
            form.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]
        forms[name] = form
    paper_form = PaperForm(
        request.POST if kind == "paper" else None,
        request.FILES if kind == "paper" else None,
        instance=Paper(meeting=meeting),
        prefix="paper",
    )
    paper_form.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]
    forms["paper"] = paper_form
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("Only the programme office edits meetings.")
        response = _post_meeting(request, meeting, kind, forms)
        if response:
            return response
    actions = [action_row(a) for a in meeting.actions.select_related("meeting")]
    forward = [action_row(a) for a in carried_forward(meeting)]
    policy = RiskPolicy.current()
    return render(
        request,
        "board/meeting.jinja",
        {
            "title": str(meeting),
            "meeting": meeting,
            "items": meeting.items.prefetch_related("papers"),
            "papers": meeting.papers.select_related("item"),
            "decisions": meeting.decisions.select_related("item"),
            "actions": actions,
            "forward": forward,
            "forms": forms,
            "office": is_office(request.user),
            "kinds": AgendaItem.Kind,
            "escalated": escalated_risks_on(meeting.date, policy),
            "policy": policy,
        },
    )


def _post_meeting(
    request: HttpRequest, meeting: BoardMeeting, kind: str, forms: dict[str, BaseForm]
) -> HttpResponse | None:
    here = redirect("board:meeting", meeting.date.isoformat())
    if kind == "close":
        close = CloseActionForm(request.POST)
        if not close.is_valid():
            raise Http404("No such action.")
        action = close.cleaned_data["action"]
        try:
            close_action(
                action=action,
                meeting=meeting,
                user=request.user,
                expected_version=close.cleaned_data["version"] or 0,
            )
        except StaleEditError as exc:
            messages.error(request, str(exc))
            return here
        messages.success(request, f"Closed the action “{action}”.")
        return here
    form = forms.get(kind)
    if form is None or not form.is_valid():
        return None
    obj = form.save(commit=False)  # type: ignore[attr-defined]
    if isinstance(obj, Paper):
        obj.uploaded_by = request.user  # type: ignore[assignment]
        obj.save()
        messages.success(request, f"Uploaded the paper “{obj.title}”.")
    else:
        add_to_meeting(obj=obj, meeting=meeting, user=request.user)
        messages.success(request, f"Added the {kind} “{obj}”.")
    return here


@area_required("programme")
def paper(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Paper, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The paper's file is missing") from exc
    name = (item.file.name or "paper").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@area_required("programme")
def actions(request: HttpRequest) -> HttpResponse:
    """The decisions and actions log across all meetings."""
    show = request.GET.get("show", "open")
    query = Action.objects.select_related("meeting").order_by("due")
    if show == "open":
        query = query.filter(status=Action.Status.OPEN)
    rows = [action_row(a) for a in query]
    download = table_download(request, rows, ACTION_COLUMNS, "board-actions")
    if download:
        return download
    return render(
        request,
        "board/actions.jinja",
        {
            "title": "Board actions log",
            "rows": rows,
            "columns": ACTION_COLUMNS,
            "show": show,
            "today": clock.today(),
        },
    )
