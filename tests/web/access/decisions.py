"""Access to the decisions area (service-change programmes)."""

from tests.web.access.common import NOT_DC, AccessTable

STROKE = {"slug": "stroke-kent-medway"}

EXPECTED: AccessTable = {
    "decisions:index": ({}, NOT_DC),
    "decisions:programme": (STROKE, NOT_DC),
    "decisions:stage": ({**STROKE, "key": "evaluation"}, NOT_DC),
    "decisions:options": (STROKE, NOT_DC),
    "decisions:option": ({"slug": "acute-east-kent", "code": "BAU"}, NOT_DC),
    "decisions:hurdles": (STROKE, NOT_DC),
    "decisions:criteria": (STROKE, NOT_DC),
    "decisions:scoring": (STROKE, NOT_DC),
    "decisions:results": (STROKE, NOT_DC),
    "decisions:timeline": (STROKE, NOT_DC),
    "decisions:consultation": (STROKE, NOT_DC),
    "decisions:history": (STROKE, NOT_DC),
    "decisions:pack": ({**STROKE, "kind": "pcbc"}, NOT_DC),
}


def setup() -> None:
    """The programmes the sample URLs name, with their stages and one option (fast)."""
    from stpkit.demo import decisions as demo
    from stpkit.web.decisions import services
    from stpkit.web.decisions.models import Option

    services.create_programme(
        name="Stroke services across Kent and Medway", slug=demo.STROKE_SLUG, process_key="stroke"
    )
    east = services.create_programme(
        name="Acute services in East Kent", slug=demo.EAST_KENT_SLUG, process_key="east_kent"
    )
    Option.objects.get_or_create(
        programme=east,
        code="BAU",
        defaults={"name": "Business as usual", "business_as_usual": True},
    )
