"""Read-side queries apps above the board use (the programme dashboard in `home` shows the
latest ratings)."""

from __future__ import annotations

from stpkit.programme import Rag
from stpkit.web.board.models import WorkstreamUpdate


def latest_confidence(include_unreviewed: bool = False) -> dict[int, tuple[Rag, str]]:
    """Workstream id -> (latest delivery confidence, period label), accepted updates only
    unless `include_unreviewed`."""
    updates = WorkstreamUpdate.objects.select_related("period").order_by(
        "workstream_id", "-period__month"
    )
    if not include_unreviewed:
        updates = updates.filter(status=WorkstreamUpdate.Status.ACCEPTED)
    latest: dict[int, tuple[Rag, str]] = {}
    for update in updates.only("workstream_id", "confidence", "period__month"):
        latest.setdefault(update.workstream_id, (update.rag, str(update.period)))
    return latest
