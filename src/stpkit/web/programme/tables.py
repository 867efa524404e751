"""Rows and columns for the programme's lists: the page tables and their downloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.urls import reverse

from stpkit.programme import (
    MILESTONE_STATUSES,
    RISK_KINDS,
    RISK_STATUSES,
    is_escalated,
    review_overdue,
)
from stpkit.web.core import clock
from stpkit.web.programme.models import Milestone, Risk, RiskPolicy

MILESTONE_COLUMNS = [
    ("workstream", "Workstream"),
    ("title", "Milestone"),
    ("owner", "Owner"),
    ("status", "Status"),
    ("start_date", "Start"),
    ("baseline_date", "Baseline"),
    ("forecast_date", "Forecast"),
    ("slip_days", "Slip (days)"),
]
RISK_COLUMNS = [
    ("ref", "Ref"),
    ("workstream", "Workstream"),
    ("kind", "Type"),
    ("title", "Risk or issue"),
    ("owner", "Owner"),
    ("likelihood", "Likelihood"),
    ("consequence", "Consequence"),
    ("score", "Score"),
    ("band", "Band"),
    ("target_score", "Target"),
    ("review_date", "Review by"),
    ("review_overdue", "Review overdue"),
    ("escalated", "Escalated"),
    ("status", "Status"),
]
# The page shows fewer columns than the download so the table fits the NHS.UK layout.
RISK_PAGE_COLUMNS = [
    ("ref", "Ref"),
    ("workstream", "Workstream"),
    ("title", "Risk or issue"),
    ("owner", "Owner"),
    ("lxc", "L × C"),
    ("score_band", "Score"),
    ("target_score", "Target"),
    ("review_date", "Review by"),
    ("escalated", "Escalated"),
]


PER_PAGE = 50
DOWNLOAD_FORMATS = ("csv", "xlsx")


def wants_download(request: HttpRequest) -> bool:
    return request.GET.get("format") in DOWNLOAD_FORMATS


@dataclass
class Pages:
    """One page of a list, and the NHS.UK pagination component's parameters, whose links
    keep every other query parameter (the list's filters)."""

    page: Page  # type: ignore[type-arg]
    component: dict[str, Any]

    @property
    def items(self) -> Sequence[Any]:
        return list(self.page.object_list)

    @property
    def first(self) -> int:
        return self.page.start_index()

    @property
    def last(self) -> int:
        return self.page.end_index()

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def count(self) -> int:
        return self.page.paginator.num_pages


def page_numbers(current: int, count: int) -> list[int | None]:
    """The first, last, current and neighbouring page numbers; None for a gap."""
    wanted = sorted({1, count, current - 1, current, current + 1} & set(range(1, count + 1)))
    shown: list[int | None] = []
    for n in wanted:
        if shown and shown[-1] is not None and n - shown[-1] > 1:  # type: ignore[operator]
            shown.append(None)
        shown.append(n)
    return shown


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Pages:
    """The page `?page=` asks for (the first if it is not a number, the last if it is past
    the end), with links to the others carrying every other query parameter."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))

    def link(number: int) -> str:
        query = request.GET.copy()
        query.pop("format", None)
        query["page"] = str(number)
        return "?" + query.urlencode()

    count = page.paginator.num_pages
    component: dict[str, Any] = {
        "items": [
            {"ellipsis": True}
            if n is None
            else {"number": n, "href": link(n), "current": n == page.number}
            for n in page_numbers(page.number, count)
        ]
    }
    if page.has_previous():
        component["previous"] = {"href": link(page.previous_page_number())}
    if page.has_next():
        component["next"] = {"href": link(page.next_page_number())}
    return Pages(page, component)


def milestone_rows(milestones: Iterable[Milestone]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.pk,
            "url": reverse("programme:milestone", args=[m.pk]),
            "workstream": m.workstream.name,
            "title": m.title,
            "owner": m.owner,
            "status": MILESTONE_STATUSES[m.status],
            "status_key": m.status,
            "start_date": m.start_date,
            "baseline_date": m.baseline_date,
            "forecast_date": m.forecast_date,
            "slip_days": m.slip_days,
        }
        for m in milestones
    ]


def risk_rows(
    risks: Iterable[Risk], policy: RiskPolicy, today: date | None = None
) -> list[dict[str, Any]]:
    bands = policy.bands
    today = today or clock.today()
    return [
        {
            "id": r.pk,
            "ref": f"R{r.pk}",
            "url": reverse("programme:risk", args=[r.pk]),
            "workstream": r.workstream.name if r.workstream else "Programme-wide",
            "kind": RISK_KINDS[r.kind],
            "title": r.title,
            "owner": r.owner,
            "likelihood": r.likelihood,
            "consequence": r.consequence,
            "score": r.score,
            "band": bands.band_for(r.score).label,
            "score_band": f"{r.score} {bands.band_for(r.score).label}",
            "lxc": f"{r.likelihood} × {r.consequence}",
            "band_key": bands.band_for(r.score).key,
            "target_score": r.target_score,
            "review_date": r.review_date,
            "review_overdue": "Yes" if review_overdue(r.review_date, r.status, today) else "No",
            "is_overdue": review_overdue(r.review_date, r.status, today),
            "escalated": "Yes"
            if is_escalated(r.status, r.score, policy.escalation_threshold)
            else "No",
            "status": RISK_STATUSES[r.status],
        }
        for r in risks
    ]
