"""Access to the stroke model pages (under Decisions)."""

from tests.web.access.common import NOT_DC, AccessTable

EXPECTED: AccessTable = {
    "decisions:stroke": ({}, NOT_DC),
}
