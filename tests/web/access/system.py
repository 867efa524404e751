"""Access to the system view (part of the programme area): everyone but the data controller
reads; the programme office, workstream leads and administrators enter values and load files."""

from tests.web.access.common import AD, NOT_DC, PO, WL, AccessTable

EDIT = {PO, WL, AD}

EXPECTED: AccessTable = {
    "system:index": ({}, NOT_DC),
    "system:gaps": ({}, NOT_DC),
    "system:rating": ({}, NOT_DC),
    "system:measure": ({"code": "ae_4hr"}, NOT_DC),
    "system:api_measures": ({}, NOT_DC),
    "system:national": ({}, EDIT),
    "system:organisations": ({}, EDIT),
    "system:benefits": ({}, NOT_DC),
    "system:benefit_new": ({}, EDIT),
    "system:benefit_edit": ({"slug": "four-hour-standard"}, EDIT),
    "system:measure_new": ({}, EDIT),
    "system:measure_edit": ({"code": "ae_4hr"}, EDIT),
    "system:values": ({"code": "ae_4hr"}, EDIT),
}


def setup() -> None:
    """The measures catalogue and a benefit the sample URLs name (no monthly data: the pages
    must work empty)."""
    from stpkit.demo.system import load_benefits, load_measures
    from stpkit.web.programme.models import Workstream

    load_measures()
    Workstream.objects.get_or_create(
        slug="hospital-care", defaults={"name": "Hospital care", "kind": "transformation"}
    )
    load_benefits()
