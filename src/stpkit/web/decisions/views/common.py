"""What every decisions page shares: the programme by slug, the page frame, and running
a POSTed action through its form.

Every page answers GET for the area's readers; changes are POSTs, each validated by its
form (`stpkit.web.decisions.forms`) and carried out by a service (which applies the
engine's rules and records the audit trail). A refused action shows the rule's message
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from stpkit.decisions import DecisionsError
from stpkit.errors import StpkitError
from stpkit.web.accounts.roles import can_edit_area
from stpkit.web.core.audit import StaleEditError
from stpkit.web.decisions import services
from stpkit.web.decisions.forms import ActionChoice, ActionForm
from stpkit.web.decisions.models import Programme

AREA = "decisions"
REGION = "Kent and Medway"


def programme_or_404(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def page(request: HttpRequest, template: str, prog: Programme, **ctx: Any) -> HttpResponse:
    ctx.setdefault("title", prog.name)
    return render(
        request,
        f"decisions/{template}",
        {
            "programme": prog,
            "current": services.current_stage(prog),
            "can_edit": can_edit_area(request.user, AREA),
            **ctx,
        },
    )


def run_action(
    request: HttpRequest,
    back: str,
    actions: Mapping[str, type[ActionForm]],
    default: str = "",
    **context: Any,
) -> HttpResponseRedirect:
    """Validate the POSTed action with its form and run it, then go `back`: the form's or
    the rule's message on refusal, what was done on success."""
    try:
        chooser = ActionChoice(request.POST, actions, default)
        if not chooser.is_valid():
            raise DecisionsError("; ".join(str(e) for e in chooser.errors["action"]))
        form = actions[chooser.cleaned_data["action"]](request.POST, user=request.user, **context)
        if form.editor_only and not can_edit_area(request.user, AREA):
            raise DecisionsError("Your role can read this programme but not change it")
        if not form.is_valid():
            raise DecisionsError(form.problems())
        done = form.run()
    except (StpkitError, StaleEditError, ValueError) as exc:
        messages.error(request, str(exc))
    except IntegrityError as exc:  # a race past the checks: say so, change nothing
        messages.error(request, f"Not saved: it clashes with a record saved meanwhile ({exc})")
    else:
        messages.success(request, done)
    return HttpResponseRedirect(back)
