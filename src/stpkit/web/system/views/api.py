"""The measures as JSON for other tools (read with the user's session, as the pages are):
`?code=<measure>` adds that measure's months, limits and special-cause points."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from stpkit.system import MeasureSummary
from stpkit.web.accounts.roles import area_required
from stpkit.web.system import services
from stpkit.web.system.models import Measure


def _summary(s: MeasureSummary) -> dict[str, Any]:
    d = s.definition
    return {
        "code": d.code,
        "name": d.name,
        "unit": d.unit,
        "gap": d.gap.value,
        "workstream": d.workstream or None,
        "polarity": d.polarity.value,
        "target": d.target,
        "latest_period": s.latest.period.isoformat() if s.latest else None,
        "latest_actual": s.latest.actual if s.latest else None,
        "latest_planned": s.latest.planned if s.latest else None,
        "rag": s.rag.value,
        "variation": s.spc.variation.value if s.spc else None,
        "assurance": s.spc.assurance.value if s.spc else None,
    }


@require_GET
@area_required("programme")
def measures(request: HttpRequest) -> JsonResponse:
    code = request.GET.get("code")
    if code:
        measure = Measure.objects.filter(code=code).first()
        if measure is None:
            return JsonResponse({"error": f"no measure with code {code!r}"}, status=404)
        (s,) = services.summaries([measure])
        body = _summary(s)
        points = iter(s.spc.points) if s.spc else iter(())
        body["months"] = [
            {
                "period": v.period.isoformat(),
                "planned": v.planned,
                "actual": v.actual,
                "special_cause": next(points).special if v.actual is not None and s.spc else None,
            }
            for v in s.values
        ]
        if s.spc:
            body["spc"] = {
                "mean": s.spc.mean,
                "upper_limit": s.spc.upper_limit,
                "lower_limit": s.spc.lower_limit,
            }
        return JsonResponse(body)
    return JsonResponse({"measures": [_summary(s) for s in services.summaries()]})
