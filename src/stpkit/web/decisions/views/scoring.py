"""The panel's scoring round: open, score, close, moderate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from stpkit.web.accounts.roles import area_required, can_edit_area
from stpkit.web.core.paging import paginate
from stpkit.web.core.tables import table_download
from stpkit.web.decisions import forms, services
from stpkit.web.decisions.views.common import AREA, page, programme_or_404, run_action

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
    prog = programme_or_404(slug)
    back = reverse("decisions:scoring", args=[slug])
    rnd = services.latest_round(prog)
    opts = services.candidate_options(prog)
    crits = list(prog.evaluation_criteria.all())
    if request.method == "POST":
        return run_action(
            request, back, forms.SCORING_ACTIONS, prog=prog, rnd=rnd, options=opts, criteria=crits
        )
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
    return page(
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
        cells=paginate(request, cells, per_page=30),
        flagged=flagged,
        candidates=services.panel_candidates()
        if can_edit_area(request.user, AREA) and (rnd is None or not rnd.is_open)
        else [],
    )
