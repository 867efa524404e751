"""The board update as a paper ready to send: gathered from the board's and the programme's
records as they stood at the meeting, with sections other areas add.

Areas above the board (the system view, the enabling workstreams) contribute sections
through `register_sections` (the `home` app registers them when Django starts), so the
board never imports them and the layering holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from stpkit.chain import printed
from stpkit.programme import ESCALATION_STATUS, Rag, driving_path
from stpkit.reports.board_pack import BoardPack, MilestoneLine, PackSection, RiskLine, rag_table
from stpkit.reports.highlight import Highlight, asks_from_text
from stpkit.web.board.models import BoardMeeting, BoardUpdateDraft, WorkstreamUpdate
from stpkit.web.board.services import compose_for, period_for, update_for
from stpkit.web.core import history_chain
from stpkit.web.core.datacache import cached
from stpkit.web.programme.models import Dependency, Milestone, Risk, RiskPolicy, Workstream
from stpkit.web.programme.queries import DONE, escalated_risks_on

log = logging.getLogger(__name__)

SectionSource = Callable[[], Sequence[PackSection]]
_SOURCES: list[SectionSource] = []


def register_sections(source: SectionSource) -> None:
    """Add a source of board pack sections (called once per source when Django starts)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def extra_sections() -> list[PackSection]:
    """Every registered area's sections; an area that fails is named in a section of its
    own rather than stopping the paper."""
    out: list[PackSection] = []
    for source in _SOURCES:
        try:
            out.extend(source())
        except Exception:  # an area's fault must not stop the board paper
            log.exception("board pack section %s failed", source.__qualname__)
            out.append(
                PackSection(
                    source.__doc__.splitlines()[0] if source.__doc__ else "Section",
                    ("This section could not be produced; the programme office has been told.",),
                )
            )
    return out


def rag_as_at(meeting: BoardMeeting) -> tuple[list[str], list[str], dict[tuple[str, str], Rag]]:
    """Workstream names, period labels and accepted ratings up to the meeting's period."""
    period = period_for(meeting)
    updates = WorkstreamUpdate.objects.filter(
        status=WorkstreamUpdate.Status.ACCEPTED,
        period__month__lte=period.month if period else date.min,
    ).select_related("period", "workstream")
    months = sorted({u.period.month for u in updates})
    labels = {m: f"{m:%b %Y}" for m in months}
    ratings = {(u.workstream.name, labels[u.period.month]): u.rag for u in updates}
    names = list(Workstream.objects.values_list("name", flat=True))
    return names, [labels[m] for m in months], ratings


def milestone_lines() -> list[MilestoneLine]:
    """Every milestone, in programme order, marked when on the dependency path."""
    milestones = list(
        Milestone.objects.select_related("workstream").order_by(
            "workstream__order", "forecast_date", "title"
        )
    )
    edges = list(Dependency.objects.values_list("predecessor_id", "successor_id"))
    on_path = set(driving_path(edges, {m.pk: m.forecast_date for m in milestones}))
    return [
        MilestoneLine(
            m.workstream.name,
            m.title,
            m.baseline_date,
            m.forecast_date,
            m.status,
            m.start_date,
            on_path=m.pk in on_path,
            done=m.status in DONE,
        )
        for m in milestones
    ]


def witness_lines() -> list[str]:
    """The signed heads of the web change history and of the integrated dataset's audit log
    (when it has entries), printed so a later rewrite is noticed against the paper."""
    lines = [printed(history_chain.signed_head(), history_chain.SCOPE)]
    try:
        from stpkit.kid.governed import Governance, governance_dir
        from stpkit.settings import load_settings

        governance = Governance(governance_dir(load_settings().data_dir))
        head = governance.signed_head()
    except Exception as exc:  # no data directory yet: the change history still witnesses
        log.warning("audit log head not read for the board paper: %s", exc)
    else:
        if head.seq:
            lines.append(printed(head, governance.SCOPE))
    return lines


def pack_for(meeting: BoardMeeting, draft: BoardUpdateDraft | None) -> BoardPack:
    """The paper for a meeting: its update as edited (generated when there is no draft),
    the position at the meeting's date."""
    names, periods, ratings = rag_as_at(meeting)
    policy = RiskPolicy.current()
    risks = [
        RiskLine(
            e.risk.title,
            e.risk.workstream.name if e.risk.workstream else "Programme-wide",
            e.score,
            e.risk.owner,
            e.risk.mitigations,
        )
        for e in escalated_risks_on(meeting.date, policy)
    ]
    return BoardPack(
        update=update_for(draft) if draft else compose_for(meeting),
        as_at=meeting.date,
        rag=rag_table(names, periods, ratings),
        # every milestone and the dependency path, kept per data version (a quarter of a
        # second with 2,000 milestones, for each of the Word and the PDF paper)
        milestones=cached("board.milestone_lines", lambda: tuple(milestone_lines())),
        risks=tuple(risks),
        escalation_threshold=policy.escalation_threshold,
        sections=tuple(extra_sections()),
        witness=tuple(witness_lines()),
    )


HIGHLIGHT_MONTHS = 6


def highlight_for(update: WorkstreamUpdate) -> Highlight:
    """A workstream's one-page highlight report from its update for a period: ratings of
    the last months (accepted updates, and this one), its milestones, open risks, asks."""
    ws, period = update.workstream, update.period
    earlier = {
        u.period.month: u.rag.label
        for u in WorkstreamUpdate.objects.filter(
            workstream=ws,
            status=WorkstreamUpdate.Status.ACCEPTED,
            period__month__lt=period.month,
        )
        .select_related("period")
        .order_by("-period__month")[: HIGHLIGHT_MONTHS - 1]
    }
    earlier[period.month] = update.rag.label
    recent = tuple((f"{m:%b %Y}", earlier[m]) for m in sorted(earlier))
    milestones = [
        MilestoneLine(
            ws.name,
            m.title,
            m.baseline_date,
            m.forecast_date,
            m.status,
            m.start_date,
            done=m.status in DONE,
        )
        for m in Milestone.objects.filter(workstream=ws).order_by("forecast_date")
    ]
    risks = [
        RiskLine(r.title, ws.name, r.score, r.owner, r.mitigations)
        for r in Risk.objects.filter(workstream=ws, status=ESCALATION_STATUS)
    ]
    lead = ws.lead.display_name if ws.lead is not None else ""
    return Highlight(
        workstream=ws.name,
        period=str(period),
        as_at=period_end(period.month),
        confidence=update.rag.label,
        lead=lead,
        sro=ws.senior_responsible_officer,
        summary=update.narrative,
        recent=recent,
        milestones=tuple(milestones),
        risks=tuple(risks),
        asks=asks_from_text(update.board_asks),
        status=update.get_status_display(),
    )


def period_end(month: date) -> date:
    """The last day of a reporting month."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
