"""Seed 004's "revised timeline to consultation" for Kent and Medway stroke (Oct 2017-Mar 2018).

Dates are the seed's. The lags (days of work between one step and the next, e.g. two
weeks for the Clinical Senate to write its first draft after the panel) are planning
assumptions read from the gaps between the seed's dates; they are what lets a slip ripple
forward. Scenario 1 has one NHS England investment committee (launch 01/02/2018),
scenario 2 two (launch 08/03/2018).
"""

from __future__ import annotations

from datetime import date

from stpkit.decisions.timeline import Task

ONE_IC = "one_ic"
TWO_IC = "two_ic"
SCENARIOS: dict[str, str] = {
    ONE_IC: "Scenario 1: single meeting of the NHS England Investment Committee",
    TWO_IC: "Scenario 2: two meetings of the NHS England Investment Committee",
}

JC = "CCG Joint Committee"
CS = "Clinical Senate"
NHSE = "NHS England"
PCBC = "PCBC development"
SCRUTINY = "Scrutiny (JHOSC)"


def _d(day: int, month: int) -> date:
    return date(2017 if month >= 10 else 2018, month, day)


def _t(
    key: str,
    title: str,
    lane: str,
    start: tuple[int, int],
    finish: tuple[int, int] | None = None,
    deps: tuple[str, ...] = (),
    scenario: str | None = None,
) -> Task:
    return Task(
        key,
        title,
        _d(*start),
        _d(*(finish or start)),
        lane,
        deps,
        frozenset({scenario}) if scenario else frozenset(),
    )


STROKE_TIMELINE: tuple[Task, ...] = (
    _t("ccg_review", "CCG Chairs and AOs review evaluation", JC, (11, 10)),
    _t(
        "sro_signoff",
        "Stroke SRO sign-off of Clinical Senate materials",
        PCBC,
        (25, 10),
        deps=("ccg_review+7",),
    ),
    _t("iia", "Integrated impact assessment report finalised", PCBC, (26, 10)),
    _t(
        "cs_submit",
        "Submit stroke materials to the Clinical Senate",
        CS,
        (26, 10),
        deps=("sro_signoff+1",),
    ),
    _t(
        "jc_workshop_cs",
        "Informal JC workshop: sign off CS materials (date TBC)",
        JC,
        (26, 10),
        (15, 11),
        deps=("sro_signoff+1",),
    ),
    _t(
        "cs_panel",
        "Clinical Senate panel review",
        CS,
        (16, 11),
        deps=("cs_submit+14", "jc_workshop_cs+1"),
    ),
    _t(
        "cs_draft",
        "First draft report from the Clinical Senate",
        CS,
        (30, 11),
        deps=("cs_panel+14",),
    ),
    _t(
        "pcbc_finalise",
        "Finalise PCBC based on Clinical Senate feedback",
        PCBC,
        (30, 11),
        (15, 12),
        deps=("cs_draft", "iia"),
    ),
    _t("jhosc_dec", "JHOSC", SCRUTINY, (12, 12)),
    _t("pcbc_final", "Final PCBC issued to the JC", PCBC, (16, 12), deps=("pcbc_finalise+1",)),
    _t(
        "cs_final", "Final report due from the Clinical Senate", CS, (22, 12), deps=("cs_draft+22",)
    ),
    _t(
        "jc_workshop_pcbc",
        "Informal JC workshop: sign off draft PCBC for NHS E assurance",
        JC,
        (22, 12),
        deps=("pcbc_final+6", "cs_final"),
    ),
    _t("ogscr", "NHS England OGSCR", NHSE, (9, 1), deps=("jc_workshop_pcbc+14",)),
    _t("ic_1", "NHS England Investment Committee", NHSE, (17, 1), deps=("ogscr+7",)),
    _t("jhosc_jan", "JHOSC (about 23/01, TBC)", SCRUTINY, (23, 1), deps=("jhosc_dec",)),
    _t(
        "jc_formal_1",
        "Formal JC meeting: sign off full PCBC, agree to launch consultation "
        "pending NHS E approval",
        JC,
        (31, 1),
        deps=("ic_1+14",),
        scenario=ONE_IC,
    ),
    _t(
        "launch_1",
        "Launch of consultation (date TBC)",
        JC,
        (1, 2),
        deps=("jc_formal_1+1",),
        scenario=ONE_IC,
    ),
    _t(
        "ic_2",
        "NHS England Investment Committee (second meeting)",
        NHSE,
        (28, 2),
        deps=("ic_1+28",),
        scenario=TWO_IC,
    ),
    _t(
        "jc_formal_2",
        "Formal JC decision meeting: agree to launch consultation",
        JC,
        (6, 3),
        deps=("ic_2+6",),
        scenario=TWO_IC,
    ),
    _t(
        "launch_2",
        "Launch of consultation (date TBC)",
        JC,
        (8, 3),
        deps=("jc_formal_2+2",),
        scenario=TWO_IC,
    ),
)
