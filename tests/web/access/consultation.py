from tests.web.access.common import AD, AN, PO, AccessTable, B

SLUG = {"slug": "stroke-services-2026"}
OPEN = {**SLUG, "code": "q4_comments"}
READERS = {B, PO, AN, AD}

EXPECTED: AccessTable = {
    "consultation:index": ({}, READERS),
    "consultation:detail": (SLUG, READERS),
    "consultation:import": (SLUG, READERS),
    "consultation:report": (SLUG, READERS),
    "consultation:report_docx": (SLUG, READERS),
    "consultation:report_html": (SLUG, READERS),
    "consultation:question": ({**SLUG, "code": "q1_agree"}, READERS),
    "consultation:themes": (OPEN, READERS),
    "consultation:theme": ({**OPEN, "key": "t1"}, READERS),
    "consultation:review": (OPEN, READERS),
    "consultation:duplicates": (OPEN, READERS),
    "consultation:framework": (OPEN, READERS),
    "consultation:responses": (OPEN, READERS),
    "consultation:respondent": ({**SLUG, "response_id": "R00001"}, READERS),
}


def setup() -> None:
    """A small synthetic stroke consultation with themes t1 and t2 (no clustering: the
    role matrix calls this before every test, so it must be quick)."""
    from stpkit.demo.consultation import load_sample

    load_sample()
