"""Figures for the cross-area dashboards: the home page (partnership, workstreams, sites,
reference data) and the programme dashboard (programme figures beside the board's latest
delivery confidence ratings). They live here, above both apps, so that neither `core` nor
`programme` imports an app above it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q

from stpkit.programme import Rag, worst
from stpkit.reference import get_reference
from stpkit.web.board.summary import latest_confidence
from stpkit.web.core import clock
from stpkit.web.core.models import Partnership, Site
from stpkit.web.programme.models import Risk, RiskPolicy, Workstream
from stpkit.web.programme.queries import (
    DONE,
    dependency_slips,
    escalated_risks,
    overdue_review_q,
    slipping_milestones,
    warnings_for,
)


def home_figures() -> dict[str, Any]:
    partnership = Partnership.objects.first()
    sites = list(Site.objects.all())
    figures: dict[str, Any] = {
        "partnership": partnership,
        "workstream_count": Workstream.objects.count(),
        "workstreams_by_type": {
            label: Workstream.objects.filter(kind=kind).count()
            for kind, label in Workstream.Kind.choices
        },
        "sites": sites,
        "stroke_admissions": None,
        "lsoa_count": None,
    }
    if partnership is not None:
        summary = get_reference().summary(partnership.icb_code)
        figures["stroke_admissions"] = summary["stroke_admissions"]
        figures["lsoa_count"] = summary["lsoas"]
    return figures


def programme_dashboard(limit: int = 10) -> dict[str, Any]:
    policy = RiskPolicy.current()
    confidence = latest_confidence()
    workstreams = list(
        Workstream.objects.select_related("lead").annotate(
            milestone_count=Count("milestones", distinct=True),
            slipping_count=Count(
                "milestones",
                filter=Q(milestones__forecast_date__gt=F("milestones__baseline_date"))
                & ~Q(milestones__status__in=DONE),
                distinct=True,
            ),
        )
    )
    risk_counts: dict[int | None, int] = dict(
        escalated_risks(policy)
        .values("workstream_id")
        .annotate(n=Count("id"))
        .values_list("workstream_id", "n")
    )
    rows = []
    for w in workstreams:
        rating = confidence.get(w.pk)
        rows.append(
            {
                "workstream": w,
                "name": w.name,
                "type": w.get_kind_display(),
                "status": w.get_status_display(),
                "lead": w.lead.display_name if w.lead else "",
                "sro": w.senior_responsible_officer,
                "confidence": rating[0] if rating else None,
                "confidence_label": rating[0].label if rating else "Not yet rated",
                "period": rating[1] if rating else "",
                "milestones": w.milestone_count,  # type: ignore[attr-defined]
                "slipping": w.slipping_count,  # type: ignore[attr-defined]
                "escalated": risk_counts.get(w.pk, 0),
            }
        )
    ratings: list[Rag] = [rating[0] for rating in confidence.values()]
    slipping = slipping_milestones()
    escalated = escalated_risks(policy)
    slips = dependency_slips()
    return {
        "rows": rows,
        "overall": worst(ratings),
        "policy": policy,
        "slipping": list(slipping.select_related("workstream")[:limit]),
        "slipping_total": slipping.count(),
        "warnings": warnings_for(slips[:limit]),
        "warnings_total": len(slips),
        "escalated": list(escalated.select_related("workstream")[:limit]),
        "escalated_total": escalated.count(),
        "programme_wide_escalated": risk_counts.get(None, 0),
        "overdue_reviews_total": Risk.objects.filter(overdue_review_q(clock.today())).count(),
    }
