"""Decisions area: service-change programmes carried through the staged option appraisal.

Every page answers GET for the area's readers; changes are POSTs, checked by `workflow`
(which applies the engine's rules and records the audit trail). A refused action shows
the rule's message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from stpkit.appraisal import monte_carlo, switching_values
from stpkit.decisions import charts, stages
from stpkit.decisions.errors import DecisionsError
from stpkit.errors import StpkitError
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import area_required, can_edit_area, can_see_area
from stpkit.web.core.audit import StaleEditError, audited_save, history_for
from stpkit.web.core.models import Site
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import packs, services, stroke_source
from stpkit.web.decisions.history import programme_history
from stpkit.web.decisions.models import (
    GOVERNANCE_CHOICES,
    Decision,
    EvaluationCriterion,
    Evidence,
    HurdleCriterion,
    HurdleResult,
    Option,
    Programme,
    RoleHolder,
    Stage,
    TimelineTask,
)

AREA = "decisions"
REGION = "Kent and Medway"


def _programme(slug: str) -> Programme:
    return get_object_or_404(Programme, slug=slug)


def _page(request: HttpRequest, template: str, prog: Programme, **ctx: Any) -> HttpResponse:
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


def _act(request: HttpRequest, back: str, action: Callable[[], str]) -> HttpResponseRedirect:
    """Run a POSTed action; its rule's message on refusal, its summary on success."""
    try:
        done = action()
    except (StpkitError, StaleEditError, ValueError) as exc:
        messages.error(request, str(exc))
    except IntegrityError as exc:  # a race past the checks: say so, change nothing
        messages.error(request, f"Not saved: it clashes with a record saved meanwhile ({exc})")
    else:
        messages.success(request, done)
    return HttpResponseRedirect(back)


def _require_editor(request: HttpRequest) -> None:
    if not can_edit_area(request.user, AREA):
        raise DecisionsError("Your role can read this programme but not change it")


def _float(value: str, field: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise DecisionsError(f"{field}: {value!r} is not a number") from None


def _version(post: Any) -> int:
    """The version the editor's form was built from (for refusing a stale edit)."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        raise DecisionsError("The form is missing its version: reload the page") from None


def _bound(post: Any, name: str, label: str) -> float | None:
    raw = post.get(name, "").strip()
    return _float(raw, label) if raw else None


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DecisionsError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


@area_required(AREA)
def index(request: HttpRequest) -> HttpResponse:
    rows = []
    for p in Programme.objects.all():
        stage = services.current_stage(p)
        steps = services.funnel(p)
        rows.append(
            {
                "programme": p,
                "stage": stage.title if stage else "Complete",
                "funnel": " → ".join(f"{s.count} {s.label.lower()}" for s in steps),
            }
        )
    return render(
        request,
        "decisions/index.jinja",
        {"title": "Decisions", "rows": rows, "sites": Site.objects.all()},
    )


@area_required(AREA)
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    if request.method == "POST":

        def add() -> str:
            _require_editor(request)
            p = request.POST
            action = p.get("action", "evidence")
            if action == "assign_role":
                holder = get_object_or_404(User, username=p.get("user", ""))
                r = services.assign_role(
                    prog=prog, user=request.user, holder=holder, role=p.get("role", "")
                )
                return f"{holder.display_name} holds the role {r.get_role_display()}"
            if action == "remove_role":
                row = get_object_or_404(RoleHolder, programme=prog, pk=p.get("holder"))
                services.remove_role(
                    prog=prog, user=request.user, holder_row=row, reason=p.get("reason", "")
                )
                return f"Removed {row.user.display_name} as {row.get_role_display()}"
            if action == "model_figures":
                if prog.process_key != "stroke":
                    raise DecisionsError("Only stroke programmes draw on the stroke model")
                found = services.link_model_figures(
                    prog=prog,
                    user=request.user,
                    option=stroke_source.today_option(REGION),
                    metrics=stroke_source.CASE_FOR_CHANGE_METRICS,
                    source=stroke_source.SOURCE,
                    describe=stroke_source.descriptions(),
                )
                return f"Linked {len(found)} figures from the stroke model"
            if action in ("edit_evidence", "remove_evidence"):
                e = get_object_or_404(Evidence, programme=prog, pk=p.get("evidence"))
                if action == "remove_evidence":
                    services.remove_evidence(
                        e=e,
                        user=request.user,
                        reason=p.get("reason", ""),
                        expected_version=_version(p),
                    )
                    return f"Removed the evidence {e.title!r}"
                services.update_evidence(
                    e=e,
                    user=request.user,
                    fields={k: p.get(k, "") for k in services.EVIDENCE_FIELDS},
                    reason=p.get("reason", ""),
                    expected_version=_version(p),
                )
                return f"Evidence {e.title!r} saved"
            kind = p.get("kind", "document")
            if kind not in dict(Evidence.KINDS):
                raise DecisionsError(f"Unknown kind of evidence {kind!r}")
            if not p.get("title", "").strip():
                raise DecisionsError("Evidence needs a title")
            e = services.add_evidence(
                prog=prog,
                user=request.user,
                kind=kind,
                title=p["title"].strip(),
                source=p.get("source", ""),
                link=p.get("link", ""),
                value=p.get("value", ""),
            )
            return f"Linked evidence: {e.title}"

        return _act(request, reverse("decisions:programme", args=[slug]), add)
    f = services.facts(prog)
    proc = prog.process
    rows = services.stage_rows(prog)
    states = stages.states([s.signed_off for s in rows])
    stage_rows = [
        {"row": s, "state": st.value, "checks": stages.check_conditions(proc.stages[i], f)}
        for i, (s, st) in enumerate(zip(rows, states, strict=True))
    ]
    steps = services.funnel(prog)
    return _page(
        request,
        "programme.jinja",
        prog,
        stage_rows=stage_rows,
        funnel=steps,
        funnel_spec=charts.spec(charts.funnel_chart(steps)),
        evidence=prog.evidence.all(),
        evidence_kinds=Evidence.KINDS,
        role_holders=prog.role_holders.select_related("user").order_by("role"),
        governance_roles=GOVERNANCE_CHOICES,
        people=services.panel_candidates() if can_edit_area(request.user, AREA) else [],
    )


@area_required(AREA)
def stage(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    prog = _programme(slug)
    row = get_object_or_404(Stage, programme=prog, key=key)
    back = reverse("decisions:stage", args=[slug, key])
    if request.method == "POST":
        if request.POST.get("action") == "owner":

            def set_owner() -> str:
                _require_editor(request)
                row.owner = request.POST.get("owner", "").strip()
                audited_save(row, request.user, expected_version=int(request.POST["version"]))
                return f"Owner of {row.title} recorded"

            return _act(request, back, set_owner)
        if request.POST.get("action") == "sign_off":
            return _act(
                request,
                back,
                lambda: (
                    services.sign_off(stage=row, user=request.user),
                    f"{row.title} signed off",
                )[1],
            )

        def reopen() -> str:
            done = services.reopen(
                stage=row, user=request.user, reason=request.POST.get("reason", "")
            )
            return f"Reopened {len(done)} stage(s): {', '.join(s.title for s in done)}"

        return _act(request, back, reopen)
    defn = prog.process.stage(key)
    f = services.facts(prog)
    held = services.roles_of(prog, request.user)
    return _page(
        request,
        "stage.jinja",
        prog,
        title=f"{row.title} – {prog.name}",
        stage=row,
        checks=stages.sign_off_checks(prog.process, key, f),
        note=defn.note,
        held=sorted(r.label for r in held),
        may_sign=defn.signoff_role in held,
        signoff_label=stages.GovernanceRole(row.signoff_role).label,
        history=history_for(row),
    )


OPTION_COLUMNS = [
    ("code", "Code"),
    ("name", "Option"),
    ("members", "Sites"),
    ("list", "Reached"),
    ("origin", "Origin"),
    ("failed", "Hurdles failed and why"),
]


@area_required(AREA)
def options(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:options", args=[slug])
    if request.method == "POST":
        if request.POST.get("action") == "generate":

            def generate() -> str:
                _require_editor(request)
                low = int(_float(request.POST.get("low", "3"), "Fewest HASUs"))
                high = int(_float(request.POST.get("high", "3"), "Most HASUs"))
                if not 1 <= low <= high <= 7:
                    raise DecisionsError("HASU counts must satisfy 1 <= fewest <= most <= 7")
                found = stroke_source.long_list_options(REGION, range(low, high + 1))
                n = services.import_options(
                    prog=prog, user=request.user, options=found, scope=REGION
                )
                return f"The stroke model generated {n} options (today included)"

            return _act(request, back, generate)

        def add() -> str:
            _require_editor(request)
            p = request.POST
            o = services.add_option(
                prog=prog,
                user=request.user,
                code=p.get("code", "").strip(),
                name=p.get("name", "").strip(),
                members=p.get("members", "").strip(),
                description=p.get("description", ""),
                scope=p.get("scope", ""),
                service_solution=p.get("service_solution", ""),
                service_delivery=p.get("service_delivery", ""),
                implementation=p.get("implementation", ""),
                funding=p.get("funding", ""),
                business_as_usual=bool(p.get("business_as_usual")),
                do_minimum=bool(p.get("do_minimum")),
            )
            return f"Added option {o}"

        if not request.POST.get("code") or not request.POST.get("name"):
            messages.error(request, "An option needs a code and a name")
            return HttpResponseRedirect(back)
        return _act(request, back, add)
    rows = []
    for o in prog.options.prefetch_related("hurdle_results__criterion"):
        failed = [r for r in o.hurdle_results.all() if not r.passed]
        rows.append(
            {
                "code": o.code,
                "name": o.name,
                "members": o.members,
                "list": o.get_reached_display(),
                "origin": o.get_origin_display(),
                "failed": "; ".join(f"{r.criterion.name}: {r.reason}" for r in failed),
            }
        )
    download = table_download(request, rows, OPTION_COLUMNS, f"{slug}-options")
    if download:
        return download
    return _page(
        request,
        "options.jinja",
        prog,
        title=f"Options – {prog.name}",
        columns=OPTION_COLUMNS,
        rows=rows,
        funnel=services.funnel(prog),
    )


@area_required(AREA)
def option(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    prog = _programme(slug)
    o = get_object_or_404(Option, programme=prog, code=code)
    back = reverse("decisions:option", args=[slug, code])
    if request.method == "POST":

        def save() -> str:
            _require_editor(request)
            p = request.POST
            fields: dict[str, Any] = {
                k: p.get(k, "").strip()
                for k in services.OPTION_FIELDS
                if k not in ("business_as_usual", "do_minimum")
            }
            fields["business_as_usual"] = bool(p.get("business_as_usual"))
            fields["do_minimum"] = bool(p.get("do_minimum"))
            services.update_option(
                option=o,
                user=request.user,
                fields=fields,
                expected_version=int(p.get("version", "0")),
            )
            return f"Option {o.code} saved"

        return _act(request, back, save)
    return _page(
        request,
        "option.jinja",
        prog,
        title=f"Option {o.code} – {prog.name}",
        option=o,
        results=o.hurdle_results.select_related("criterion"),
        metrics=sorted(o.metrics.items()),
        history=history_for(o),
        dimensions=[
            ("scope", "Scope"),
            ("service_solution", "Service solution"),
            ("service_delivery", "Service delivery"),
            ("implementation", "Implementation"),
            ("funding", "Funding"),
        ],
    )


@area_required(AREA)
def hurdles(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:hurdles", args=[slug])
    if request.method == "POST":
        action = request.POST.get("action")

        def run() -> str:
            _require_editor(request)
            if action == "add":
                p = request.POST
                h = services.add_hurdle_criterion(
                    prog=prog,
                    user=request.user,
                    name=p.get("name", ""),
                    description=p.get("description", ""),
                    metric=p.get("metric", ""),
                    minimum=_bound(p, "minimum", "Minimum"),
                    maximum=_bound(p, "maximum", "Maximum"),
                )
                return f"Added hurdle criterion {h.name}"
            if action in ("edit", "remove"):
                p = request.POST
                h = get_object_or_404(HurdleCriterion, programme=prog, pk=p.get("criterion"))
                if action == "remove":
                    n = services.remove_hurdle_criterion(
                        h=h,
                        user=request.user,
                        reason=p.get("reason", ""),
                        expected_version=_version(p),
                    )
                    gone = f" with its {n} recorded results" if n else ""
                    return f"Removed the hurdle criterion {h.name!r}{gone}"
                n = services.update_hurdle_criterion(
                    h=h,
                    user=request.user,
                    name=p.get("name", ""),
                    description=p.get("description", ""),
                    metric=p.get("metric", ""),
                    minimum=_bound(p, "minimum", "Minimum"),
                    maximum=_bound(p, "maximum", "Maximum"),
                    reason=p.get("reason", ""),
                    expected_version=_version(p),
                )
                again = f"; {n} results under the old rule withdrawn, to check again" if n else ""
                return f"Hurdle criterion {h.name!r} saved{again}"
            if action == "compute":
                n = services.apply_computed_hurdles(prog=prog, user=request.user)
                return f"Checked {n} option-hurdle pairs against model figures"
            if action == "judge":
                o = get_object_or_404(Option, programme=prog, code=request.POST.get("option"))
                h = get_object_or_404(
                    HurdleCriterion, programme=prog, pk=request.POST.get("criterion")
                )
                passed = request.POST.get("passed") == "yes"
                services.record_hurdle(
                    option=o,
                    criterion=h,
                    passed=passed,
                    reason=request.POST.get("reason", ""),
                    user=request.user,
                )
                return f"Recorded {o.code} {'passes' if passed else 'fails'} {h.name}"
            if action == "sift":
                kept, rejected = services.sift(prog=prog, user=request.user)
                return f"{kept} options go forward, {rejected} rejected with their reasons"
            raise DecisionsError(f"Unknown action {action!r}")

        return _act(request, back, run)
    criteria = list(prog.hurdle_criteria.all())
    results = {
        (r.option_id, r.criterion_id): r
        for r in HurdleResult.objects.filter(option__programme=prog)
    }
    options = list(prog.options.all())
    cells = {o.pk: [results.get((o.id, h.id)) for h in criteria] for o in options}
    matrix = [{"option": o, "cells": cells[o.pk]} for o in options]
    columns = [("code", "Option"), ("name", "Description"), ("reached", "Reached")]
    columns += [(f"h{h.pk}", h.name) for h in criteria]
    download = table_download(
        request,
        [
            {
                "code": o.code,
                "name": o.name,
                "reached": o.get_reached_display(),
                **{
                    f"h{h.pk}": "Not assessed"
                    if r is None
                    else "Pass"
                    if r.passed
                    else f"Fail: {r.reason}"
                    for h, r in zip(criteria, cells[o.pk], strict=True)
                },
            }
            for o in options
        ],
        columns,
        f"{slug}-hurdles",
    )
    if download:
        return download
    return _page(
        request,
        "hurdles.jinja",
        prog,
        title=f"Hurdle criteria – {prog.name}",
        criteria=criteria,
        matrix=matrix,
        funnel=services.funnel(prog),
    )


@area_required(AREA)
def criteria(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:criteria", args=[slug])
    crits = list(prog.evaluation_criteria.all())
    if request.method == "POST":
        action = request.POST.get("action")

        def run() -> str:
            _require_editor(request)
            if action == "weights":
                services.set_weights(
                    prog=prog,
                    user=request.user,
                    weights={
                        c.key: _float(request.POST.get(f"w-{c.key}", ""), c.name) for c in crits
                    },
                )
                return "Weights saved (not yet locked)"
            if action == "rules":
                services.set_scoring_rules(
                    prog=prog,
                    user=request.user,
                    scale_max=_float(request.POST.get("scale_max", ""), "Top of the scale"),
                    moderation_spread=_float(
                        request.POST.get("moderation_spread", ""), "Moderation threshold"
                    ),
                )
                return "Scoring scale and moderation threshold saved"
            if action == "lock":
                services.lock_weights(prog=prog, user=request.user)
                return "Weights agreed and locked: scoring may begin"
            if action == "unlock":
                services.unlock_weights(
                    prog=prog, user=request.user, reason=request.POST.get("reason", "")
                )
                return "Weights unlocked"
            if action == "add":
                p = request.POST
                c = services.add_evaluation_criterion(
                    prog=prog,
                    user=request.user,
                    group=p.get("group", ""),
                    key=p.get("key", ""),
                    name=p.get("name", ""),
                    description=p.get("description", ""),
                )
                return f"Added criterion {c.name}"
            if action in ("edit", "remove"):
                p = request.POST
                c = get_object_or_404(EvaluationCriterion, programme=prog, key=p.get("criterion"))
                if action == "remove":
                    services.remove_evaluation_criterion(
                        c=c,
                        user=request.user,
                        reason=p.get("reason", ""),
                        expected_version=_version(p),
                    )
                    return f"Removed the criterion {c.name!r}"
                services.update_evaluation_criterion(
                    c=c,
                    user=request.user,
                    group=p.get("group", ""),
                    name=p.get("name", ""),
                    description=p.get("description", ""),
                    reason=p.get("reason", ""),
                    expected_version=_version(p),
                )
                return f"Criterion {c.name!r} saved"
            raise DecisionsError(f"Unknown action {action!r}")

        return _act(request, back, run)
    download = table_download(
        request,
        [
            {"group": c.get_group_display(), "key": c.key, "name": c.name, "weight": c.weight}
            for c in crits
        ],
        [("group", "Group"), ("key", "Key"), ("name", "Criterion"), ("weight", "Weight (%)")],
        f"{slug}-criteria",
    )
    if download:
        return download
    groups: dict[str, list[EvaluationCriterion]] = {}
    for c in crits:
        groups.setdefault(c.get_group_display(), []).append(c)
    return _page(
        request,
        "criteria.jinja",
        prog,
        title=f"Evaluation criteria – {prog.name}",
        groups=groups,
        criteria=crits,
        total=sum(c.weight for c in crits),
        group_choices=EvaluationCriterion.GROUPS,
        history=[r for c in crits for r in history_for(c)][:30],
    )


SPREAD_COLUMNS = [
    ("option", "Option"),
    ("criterion", "Criterion"),
    ("n", "Scorers"),
    ("mean", "Mean"),
    ("low", "Lowest"),
    ("high", "Highest"),
    ("spread", "Spread"),
    ("sd", "Standard deviation"),
    ("moderated", "Moderated"),
    ("rationales", "Scores and rationales"),
]


@area_required(AREA)
def scoring(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:scoring", args=[slug])
    rnd = services.latest_round(prog)
    opts = services.candidate_options(prog)
    crits = list(prog.evaluation_criteria.all())
    if request.method == "POST":
        action = request.POST.get("action")

        def run() -> str:
            if action == "open":
                _require_editor(request)
                chosen = request.POST.getlist("scorers")
                panel_users = [u for u in services.panel_candidates() if u.username in chosen]
                if len(panel_users) < 2:
                    raise DecisionsError(
                        "A scoring panel needs at least two scorers, each scoring independently"
                    )
                new = services.open_round(prog=prog, user=request.user, scorers=panel_users)
                return f"Round {new.number} opened for {len(panel_users)} scorers"
            if rnd is None:
                raise DecisionsError("No scoring round has been opened")
            if action == "score":
                values = {}
                for o in opts:
                    for c in crits:
                        raw = request.POST.get(f"s-{o.code}-{c.key}", "")
                        if raw == "":
                            raise DecisionsError(f"Score {o.code} on {c.name}: a score is needed")
                        values[(o.code, c.key)] = (
                            _float(raw, f"{o.code} on {c.name}"),
                            request.POST.get(f"r-{o.code}-{c.key}", ""),
                        )
                n = services.submit_scores(rnd=rnd, scorer=request.user, scores=values)
                return f"Your {n} scores are recorded; others see them when the round closes"
            _require_editor(request)
            if action == "close":
                services.close_round(rnd=rnd, user=request.user)
                return f"Round {rnd.number} closed: scores revealed"
            if action == "moderate":
                o = get_object_or_404(Option, programme=prog, code=request.POST.get("option"))
                c = get_object_or_404(
                    EvaluationCriterion, programme=prog, key=request.POST.get("criterion")
                )
                services.moderate(
                    rnd=rnd,
                    user=request.user,
                    option=o,
                    criterion=c,
                    score=_float(request.POST.get("score", ""), "Moderated score"),
                    reason=request.POST.get("reason", ""),
                )
                return f"Moderated score recorded for {o.code} on {c.name}"
            raise DecisionsError(f"Unknown action {action!r}")

        return _act(request, back, run)
    mine = {}
    on_panel = False
    submitted: list[str] = []
    cells: list[Any] = []
    flagged: list[Any] = []
    user: Any = request.user
    if rnd is not None:
        on_panel = rnd.scorers.filter(pk=user.pk).exists()
        mine = {
            (s.option.code, s.criterion.key): (s.score, s.rationale)
            for s in rnd.scores.filter(scorer=user).select_related("option", "criterion")
        }
        submitted = sorted(
            {s.scorer.display_name for s in rnd.scores.select_related("scorer")}  # type: ignore[attr-defined]
        )
        if not rnd.is_open:
            summary = services.panel_cells(rnd)
            names = {c.key: c.name for c in crits}
            cells = sorted(summary.values(), key=lambda c: (c.option, c.criterion))
            marks: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for s in rnd.scores.select_related("scorer", "option", "criterion").order_by(
                "scorer__username"
            ):
                marks.setdefault((s.option.code, s.criterion.key), []).append(
                    {"who": s.scorer.display_name, "score": s.score, "rationale": s.rationale}  # type: ignore[attr-defined]
                )
            cells = [
                {
                    "cell": c,
                    "criterion_name": names.get(c.criterion, c.criterion),
                    "marks": marks.get((c.option, c.criterion), []),
                }
                for c in cells
            ]
            flagged = [c for c in cells if c["cell"].spread > prog.moderation_spread]
            download = table_download(
                request,
                [
                    {
                        "option": c["cell"].option,
                        "criterion": c["criterion_name"],
                        "n": c["cell"].n,
                        "mean": round(c["cell"].mean, 3),
                        "low": c["cell"].low,
                        "high": c["cell"].high,
                        "spread": c["cell"].spread,
                        "sd": round(c["cell"].sd, 3),
                        "moderated": c["cell"].moderated,
                        "rationales": "; ".join(
                            f"{m['who']}: {m['score']:g}"
                            + (f" ({m['rationale']})" if m["rationale"] else "")
                            for m in c["marks"]
                        ),
                    }
                    for c in cells
                ],
                SPREAD_COLUMNS,
                f"{slug}-round-{rnd.number}-scores",
            )
            if download:
                return download
    return _page(
        request,
        "scoring.jinja",
        prog,
        title=f"Panel scoring – {prog.name}",
        round=rnd,
        options=opts,
        criteria=crits,
        mine=mine,
        rationale_max=services.RATIONALE_MAX,
        on_panel=on_panel,
        submitted=submitted,
        cells=cells,
        flagged=flagged,
        candidates=services.panel_candidates()
        if can_edit_area(request.user, AREA) and (rnd is None or not rnd.is_open)
        else [],
    )


@area_required(AREA)
def results(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:results", args=[slug])
    if request.method == "POST":

        def choose() -> str:
            _require_editor(request)
            o = get_object_or_404(Option, programme=prog, code=request.POST.get("option"))
            services.choose_preferred(prog=prog, user=request.user, option=o)
            return f"Preferred option recorded: {o}"

        return _act(request, back, choose)
    ev = services.evaluation(prog)
    ctx: dict[str, Any] = {"evaluation": ev}
    if ev is not None:
        names = {o.code: o.name for o in prog.options.all()}
        rows = ev.rows()
        for r in rows:
            r["name"] = names.get(str(r["option"]), "")
        columns = [("rank", "Rank"), ("option", "Option")]
        columns += [(f"{c.name} score", f"{c.name} (score)") for c in ev.criteria]
        columns += [("weighted score", "Weighted score")]
        download = table_download(
            request, rows, [*columns[:2], ("name", "Description"), *columns[2:]], f"{slug}-ranking"
        )
        if download:
            return download
        mc = monte_carlo(ev, draws=2000)
        ctx.update(
            rows=rows,
            columns=columns,
            numeric=[k for k, _ in columns if k not in ("option", "name")],
            chart=charts.spec(charts.ranking_chart(ev)),
            switching=switching_values(ev),
            mc=[
                {
                    "option": k,
                    "first": round(v * 100, 1),
                    "mean_rank": round(mc.mean_rank[k], 2),
                }
                for k, v in sorted(mc.first_share.items(), key=lambda kv: -kv[1])
            ],
        )
    return _page(request, "results.jinja", prog, title=f"Results – {prog.name}", **ctx)


TIMELINE_COLUMNS = [
    ("scenario", "Scenario"),
    ("task", "Task"),
    ("lane", "Lane"),
    ("planned_start", "Planned start"),
    ("planned_finish", "Planned finish"),
    ("forecast_start", "Forecast start"),
    ("forecast_finish", "Forecast finish"),
    ("slip_days", "Slip (days)"),
    ("float_days", "Float (days)"),
    ("critical", "Critical path"),
]


@area_required(AREA)
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:timeline", args=[slug])
    if request.method == "POST":

        def slip() -> str:
            _require_editor(request)
            p = request.POST
            if p.get("action") == "scenario":
                sc = services.add_scenario(
                    prog=prog, user=request.user, key=p.get("key", ""), name=p.get("name", "")
                )
                return f"Added scenario {sc.name}"
            if p.get("action") == "task":
                t = services.add_task(
                    prog=prog,
                    user=request.user,
                    key=p.get("key", ""),
                    title=p.get("title", ""),
                    start=_date(p.get("start", ""), "Start"),
                    finish=_date(p.get("finish", ""), "Finish"),
                    lane=p.get("lane", "").strip(),
                    depends_on=p.get("depends_on", ""),
                    scenarios=p.getlist("scenarios"),
                )
                return f"Added task {t.title}"
            t = get_object_or_404(TimelineTask, programme=prog, key=request.POST.get("task"))
            when = _date(request.POST.get("forecast_start", ""), "Forecast start")
            services.record_slip(
                task=t,
                user=request.user,
                forecast_start=when,
                reason=request.POST.get("reason", ""),
            )
            return f"Forecast for {t.title} recorded"

        return _act(request, back, slip)
    scheduled = services.schedules(prog)
    download = table_download(
        request,
        [{"scenario": sc.name, **r} for sc, _, fc in scheduled for r in fc.rows()],
        TIMELINE_COLUMNS,
        f"{slug}-timeline",
    )
    if download:
        return download
    scenarios = []
    for sc, base, fc in scheduled:
        scenarios.append(
            {
                "scenario": sc,
                "baseline": base,
                "forecast": fc,
                "rows": fc.rows(),
                "chart": charts.spec(charts.timeline_chart(base, fc)),
            }
        )
    return _page(
        request,
        "timeline.jinja",
        prog,
        title=f"Timeline to consultation – {prog.name}",
        scenarios=scenarios,
        tasks=prog.tasks.all(),
        all_scenarios=prog.scenarios.all(),
    )


@area_required(AREA)
def consultation(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    back = reverse("decisions:consultation", args=[slug])
    if request.method == "POST":
        action = request.POST.get("action")

        def run() -> str:
            _require_editor(request)
            p = request.POST
            if action == "period":
                services.set_consultation(
                    prog=prog,
                    user=request.user,
                    assured=_date(p.get("assured", ""), "NHS England approval"),
                    starts=_date(p.get("starts", ""), "Starts"),
                    ends=_date(p.get("ends", ""), "Ends"),
                    reference=p.get("reference", ""),
                    expected_version=int(p.get("version", "0")),
                )
                return "Consultation details saved"
            if action == "decision":
                o = get_object_or_404(Option, programme=prog, code=p.get("option"))
                services.record_decision(
                    prog=prog,
                    user=request.user,
                    option=o,
                    decided_on=_date(p.get("decided_on", ""), "Decided on"),
                    body=p.get("body", ""),
                    conditions=p.get("conditions", ""),
                    minutes=p.get("minutes", ""),
                )
                return "Decision recorded"
            raise DecisionsError(f"Unknown action {action!r}")

        return _act(request, back, run)
    decision = Decision.objects.filter(programme=prog).first()
    return _page(
        request,
        "consultation.jinja",
        prog,
        title=f"Consultation and decision – {prog.name}",
        decision=decision,
        consultations=services.linked_consultations(prog),
        can_see_consultation=can_see_area(request.user, "consultation"),
        options=services.candidate_options(prog) or list(prog.options.all()),
        today=timezone.localdate(),
    )


@area_required(AREA)
def history(request: HttpRequest, slug: str) -> HttpResponse:
    prog = _programme(slug)
    rows = programme_history(prog, request.user)
    columns = [
        ("at", "When"),
        ("who", "Who"),
        ("item", "Item"),
        ("action", "Action"),
        ("field", "Field"),
        ("before", "Before"),
        ("after", "After"),
        ("reason", "Reason"),
    ]
    download = table_download(request, rows, columns, f"{slug}-audit")
    if download:
        return download
    return _page(
        request,
        "history.jinja",
        prog,
        title=f"Audit trail – {prog.name}",
        columns=columns,
        rows=rows[:500],
        total=len(rows),
    )


@area_required(AREA)
def pack(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    prog = _programme(slug)
    if kind not in packs.KINDS:
        return HttpResponse(status=404)
    data, filename = packs.build(prog, kind)
    if kind == "pcbc" and prog.pcbc_generated_at is None and can_edit_area(request.user, AREA):
        prog.pcbc_generated_at = timezone.now()
        audited_save(prog, request.user)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
