"""Status vocabularies shared by the web app, the import template and the board update."""

from __future__ import annotations

MILESTONE_STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "at_risk": "At risk",
    "cancelled": "Cancelled",
}
WORKSTREAM_STATUSES: dict[str, str] = {
    "mobilising": "Mobilising",
    "active": "Active",
    "paused": "Paused",
    "closed": "Closed",
}
RISK_KINDS: dict[str, str] = {"risk": "Risk", "issue": "Issue"}
RISK_STATUSES: dict[str, str] = {"open": "Open", "closed": "Closed"}
GAPS: dict[str, str] = {
    "health_wellbeing": "Health and wellbeing",
    "care_quality": "Care and quality",
    "funding_efficiency": "Funding and efficiency",
}
