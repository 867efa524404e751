"""Board pack sections for estates and workforce, as the board update's editable text
(`## heading`, `- bullet`; see stpkit.reports.board_update.parse_body). Nothing imports this
app: the board area (or the lead) can offer this text when a pack is drafted.
"""

from __future__ import annotations

from stpkit import enablers as eng
from stpkit.web.enablers import services
from stpkit.web.enablers.models import Organisation
from stpkit.web.enablers.views._common import gbp


def estates_section() -> str:
    year = services.latest_year("estates")
    if year is None:
        return "## Estates\n\nNo estates return has been loaded yet.\n"
    bs = [services.engine_building(b) for b in services.buildings(year)]
    totals = eng.estate_totals(services.engine_sites(), bs)
    area = sum(t.floor_area_m2 for t in totals)
    unused = sum(t.unused_m2 for t in totals)
    cands = eng.disposal_candidates(bs)
    receipts = sum(c.receipt for c in cands)
    planned, _ = eng.disposals_cover(services.schemes(), receipts)
    position = eng.plan_against_envelope(services.schemes(), services.envelope())
    over = [p for p in position if p.over]
    lines = [
        f"- The {year} estates return covers {len(bs):,} buildings, {area:,.0f} m² in all; "
        f"{unused:,.0f} m² ({unused / area:.0%}) is void or not in use."
        if area
        else f"- The {year} estates return has no floor area recorded.",
        f"- Backlog maintenance is {gbp(sum(t.backlog_total for t in totals))}, of which "
        f"{gbp(sum(t.backlog['high'] for t in totals))} is high risk.",
        f"- {len(cands)} buildings are candidates for disposal, with receipts of "
        f"{gbp(receipts)}; the capital plan counts on {gbp(planned)} from disposals.",
        f"- The capital plan is {gbp(sum(p.planned for p in position))} against an envelope "
        f"of {gbp(sum(p.envelope for p in position))}"
        + (f"; over the envelope in {', '.join(p.year for p in over)}." if over else "."),
    ]
    return "## Estates and capital\n\n" + "\n".join(lines) + "\n"


def workforce_section() -> str:
    year = services.latest_year("workforce")
    if year is None:
        return "## Workforce\n\nNo workforce return has been loaded yet.\n"
    summary = services.workforce_summary(year)
    total = [r for r in summary if r.organisation == "*"]
    wte = sum(r.wte for r in total)
    vac = sum(r.vacancies_wte for r in total)
    older = sum(r.wte * r.near_retirement_share for r in total)
    names = dict(Organisation.objects.values_list("code", "name"))
    caps = eng.agency_against_cap(services.measures(year), services.agency_caps(year))
    over = [c for c in caps if c.over > 0]
    gaps = services.projection(year).gap_at_end()
    worst = sorted(gaps.items(), key=lambda kv: -kv[1][1])[:3]
    lines = [
        f"- {wte:,.0f} WTE in post in {year}, with {vac:,.0f} WTE vacant "
        f"({vac / (wte + vac):.1%}); {older / wte:.0%} are within five years of retirement."
        if wte
        else f"- No staff in post recorded for {year}.",
        f"- Agency spend is {gbp(sum(c.spend for c in caps))}; "
        + (
            f"{len(over)} organisations are over their ceiling: "
            + ", ".join(
                f"{names.get(c.organisation, c.organisation)} by {gbp(c.over)}" for c in over[:4]
            )
            + "."
            if over
            else "every organisation is within its ceiling."
        ),
        *(
            f"- In five years {eng.STAFF_GROUPS.get(g, g).lower()}: a gap of {mid:,.0f} WTE "
            f"(range {lo:,.0f} to {hi:,.0f})."
            for g, (lo, mid, hi) in worst
        ),
    ]
    return "## Workforce\n\n" + "\n".join(lines) + "\n"


def board_sections_text() -> str:
    return estates_section() + "\n" + workforce_section()
