"""The staged NHS service-change process as a state machine.

Seed 004 (Kent and Medway HOSC paper, November 2017) shows the route: case for change,
service delivery models, hurdle criteria, evaluation criteria, long list, hurdle sift to a
medium (East Kent) or short (stroke) list, evaluation to a preferred option, PCBC, NHS
England assurance, public consultation, evaluation of responses, decision by the joint
committee. The rules here:

- stages run in order: only the *current* stage (the first one not signed off) can be
  worked on or signed off, so no stage is skipped;
- a sign-off needs the stage's entry and exit conditions to hold, and the entry conditions
  of the stage it opens (the next one), and a signer holding the stage's named governance
  role;
- a signed-off stage is closed to edits; it can be reopened only with a recorded reason,
  and reopening it also reopens every later stage (their sign-offs rested on it).

Conditions read plain "facts" (counts and flags the web layer computes from its records),
so the rules are tested here without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stpkit.decisions.errors import SignOffError, StageError

Facts = Mapping[str, int | bool]


class GovernanceRole(StrEnum):
    """Named roles that sign stages off (held per programme, not the app login role)."""

    SRO = "sro"
    CLINICAL_LEAD = "clinical_lead"
    PROGRAMME_DIRECTOR = "programme_director"
    JOINT_COMMITTEE_CHAIR = "joint_committee_chair"
    NHSE_ASSURANCE_LEAD = "nhse_assurance_lead"

    @property
    def label(self) -> str:
        return GOVERNANCE_LABELS[self]


GOVERNANCE_LABELS: dict[GovernanceRole, str] = {
    GovernanceRole.SRO: "Senior responsible officer",
    GovernanceRole.CLINICAL_LEAD: "Clinical lead",
    GovernanceRole.PROGRAMME_DIRECTOR: "Programme director",
    GovernanceRole.JOINT_COMMITTEE_CHAIR: "Chair of the CCG Joint Committee",
    GovernanceRole.NHSE_ASSURANCE_LEAD: "NHS England assurance lead",
}


@dataclass(frozen=True)
class Condition:
    """One entry or exit condition: a sentence a person reads and a test over the facts."""

    key: str
    description: str
    test: Callable[[Facts], bool]

    def holds(self, facts: Facts) -> bool:
        return bool(self.test(facts))


def at_least(fact: str, n: int, description: str) -> Condition:
    return Condition(f"{fact}>={n}", description, lambda f: int(f.get(fact, 0)) >= n)


def none_left(fact: str, description: str) -> Condition:
    return Condition(f"{fact}==0", description, lambda f: int(f.get(fact, 0)) == 0)


def is_true(fact: str, description: str) -> Condition:
    return Condition(fact, description, lambda f: bool(f.get(fact, False)))


@dataclass(frozen=True)
class StageDef:
    key: str
    title: str
    signoff_role: GovernanceRole
    entry: tuple[Condition, ...] = ()
    exit: tuple[Condition, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Process:
    key: str
    title: str
    stages: tuple[StageDef, ...]

    def index(self, key: str) -> int:
        for i, s in enumerate(self.stages):
            if s.key == key:
                return i
        raise StageError(
            f"{self.title} has no stage {key!r}; its stages are: "
            f"{', '.join(s.key for s in self.stages)}"
        )

    def stage(self, key: str) -> StageDef:
        return self.stages[self.index(key)]


R = GovernanceRole
_EVIDENCE = at_least("evidence", 1, "At least one piece of evidence is linked")
_MODELS = at_least("service_models", 1, "At least one service delivery model is described")
_HURDLES = at_least("hurdle_criteria", 1, "At least one hurdle criterion is defined")
_CRITERIA = at_least("evaluation_criteria", 2, "At least two evaluation criteria are defined")
_WEIGHTS_SUM = is_true("weights_sum_ok", "Swing weights sum to 100")
_WEIGHTS_LOCKED = is_true("weights_locked", "Swing weights are agreed and locked")
_LONG = at_least("options", 2, "The long list has at least two options")
_BAU = is_true("business_as_usual", "The long list includes business as usual")
_ASSESSED = none_left("unassessed", "Every option is assessed against every hurdle criterion")
_SCORING_CLOSED = is_true("scoring_closed", "A panel scoring round is closed")
_MODERATED = none_left("unmoderated", "Every score with a wide spread is moderated")
_PREFERRED = is_true("preferred", "A preferred option is recorded")
_TIMELINE = at_least("timeline_tasks", 1, "The timeline to consultation is planned")
_PACK = is_true("pcbc_generated", "The PCBC options appraisal chapter has been generated")
_ASSURED = is_true("assurance_approved", "NHS England assurance approval is recorded")
_PERIOD = is_true("consultation_dates", "The consultation period is set")
_CLOSED = is_true("consultation_closed", "The consultation has closed")
_ANALYSIS = is_true("consultation_analysis", "The consultation analysis is linked")
_DECISION = is_true("decision", "The decision is recorded with the option chosen")


def _common_tail(shortlist_word: str) -> tuple[StageDef, ...]:
    return (
        StageDef(
            "evaluation",
            f"Evaluation of the {shortlist_word} to identify the preferred option",
            R.JOINT_COMMITTEE_CHAIR,
            entry=(_WEIGHTS_LOCKED,),
            exit=(_SCORING_CLOSED, _MODERATED, _PREFERRED),
            note="Involves several stakeholder reviews as part of the agreed evaluation process.",
        ),
    )


def _consultation_tail() -> tuple[StageDef, ...]:
    return (
        StageDef(
            "assurance",
            "Submission of the PCBC to the NHS England Investment Committee",
            R.NHSE_ASSURANCE_LEAD,
            entry=(_TIMELINE,),
            exit=(_ASSURED,),
        ),
        StageDef(
            "consultation",
            "Public consultation",
            R.PROGRAMME_DIRECTOR,
            entry=(_PERIOD,),
            exit=(_CLOSED,),
        ),
        StageDef(
            "consultation_evaluation",
            "Evaluation of consultation discussions and responses",
            R.SRO,
            exit=(_ANALYSIS,),
        ),
        StageDef(
            "decision",
            "Decision by the CCGs / CCG Joint Committee",
            R.JOINT_COMMITTEE_CHAIR,
            exit=(_DECISION,),
        ),
    )


def _front(case_title: str, models_title: str) -> tuple[StageDef, ...]:
    return (
        StageDef("case_for_change", case_title, R.SRO, exit=(_EVIDENCE,)),
        StageDef("service_models", models_title, R.CLINICAL_LEAD, exit=(_MODELS,)),
        StageDef("hurdle_criteria", "Development of hurdle criteria", R.SRO, exit=(_HURDLES,)),
        StageDef(
            "evaluation_criteria",
            "Identify full evaluation criteria",
            R.JOINT_COMMITTEE_CHAIR,
            exit=(_CRITERIA, _WEIGHTS_SUM, _WEIGHTS_LOCKED),
        ),
        StageDef("long_list", "Identify long list of options", R.SRO, exit=(_LONG, _BAU)),
    )


# Seed 004, "Stroke": a short list, and a PCBC development stage before NHS England.
STROKE = Process(
    "stroke",
    "Stroke services (short list route)",
    (
        *_front("Kent and Medway case for change", "Development of Kent and Medway service models"),
        StageDef(
            "hurdle_sift",
            "Application of hurdle criteria to produce a short list of options",
            R.JOINT_COMMITTEE_CHAIR,
            entry=(_HURDLES,),
            exit=(_ASSESSED, at_least("short_list", 1, "At least one option is short-listed")),
        ),
        *_common_tail("short list"),
        StageDef(
            "pcbc",
            "Development of a pre-consultation business case (PCBC)",
            R.SRO,
            exit=(_PACK, _TIMELINE),
        ),
        *_consultation_tail(),
    ),
)

# Seed 004, "East Kent": a medium list, which goes to the CCG Joint Committee before evaluation.
EAST_KENT = Process(
    "east_kent",
    "Acute services (medium list route)",
    (
        *_front("Case for change", "Development of service delivery models"),
        StageDef(
            "hurdle_sift",
            "Application of hurdle criteria to produce a medium list of options",
            R.SRO,
            entry=(_HURDLES,),
            exit=(
                _ASSESSED,
                at_least("short_list", 1, "At least one option is on the medium list"),
            ),
        ),
        StageDef(
            "medium_list_to_jc",
            "Medium list submitted to the CCG Joint Committee",
            R.JOINT_COMMITTEE_CHAIR,
        ),
        *_common_tail("medium list"),
        *_consultation_tail(),
    ),
)

PROCESSES: dict[str, Process] = {p.key: p for p in (STROKE, EAST_KENT)}


def process(key: str) -> Process:
    try:
        return PROCESSES[key]
    except KeyError:
        raise StageError(
            f"Unknown process {key!r}; the processes are: {', '.join(PROCESSES)}"
        ) from None


class StageState(StrEnum):
    SIGNED_OFF = "signed_off"
    CURRENT = "current"
    NOT_STARTED = "not_started"


def current_index(signed_off: Sequence[bool]) -> int:
    """The first stage not signed off (== len when the whole process is signed off).

    Sign-offs are always a prefix of the stages; anything else is corrupt data.
    """
    n = 0
    while n < len(signed_off) and signed_off[n]:
        n += 1
    if any(signed_off[n:]):
        raise StageError("A later stage is signed off while an earlier one is not")
    return n


def states(signed_off: Sequence[bool]) -> list[StageState]:
    cur = current_index(signed_off)
    return [
        StageState.SIGNED_OFF
        if i < cur
        else StageState.CURRENT
        if i == cur
        else StageState.NOT_STARTED
        for i in range(len(signed_off))
    ]


@dataclass(frozen=True)
class ConditionCheck:
    condition: Condition
    kind: str  # "entry", "exit", or "next stage '<title>' entry"
    holds: bool


def check_conditions(stage: StageDef, facts: Facts) -> list[ConditionCheck]:
    return [ConditionCheck(c, "entry", c.holds(facts)) for c in stage.entry] + [
        ConditionCheck(c, "exit", c.holds(facts)) for c in stage.exit
    ]


def sign_off_checks(proc: Process, key: str, facts: Facts) -> list[ConditionCheck]:
    """What a sign-off of stage `key` needs: its own entry and exit conditions, and the
    entry conditions of the stage the sign-off opens (the next one)."""
    i = proc.index(key)
    out = check_conditions(proc.stages[i], facts)
    if i + 1 < len(proc.stages):
        following = proc.stages[i + 1]
        out += [
            ConditionCheck(c, f"next stage {following.title!r} entry", c.holds(facts))
            for c in following.entry
        ]
    return out


def check_sign_off(
    proc: Process,
    signed_off: Sequence[bool],
    key: str,
    facts: Facts,
    signer_roles: set[GovernanceRole] | frozenset[GovernanceRole],
) -> StageDef:
    """Refuse a sign-off out of turn, by the wrong role, or with conditions unmet."""
    i = proc.index(key)
    stage = proc.stages[i]
    cur = current_index(signed_off)
    if i < cur:
        raise SignOffError(f"Stage {stage.title!r} is already signed off")
    if i > cur:
        raise SignOffError(
            f"Stage {stage.title!r} cannot be signed off before "
            f"{proc.stages[cur].title!r}: stages cannot be skipped"
        )
    if stage.signoff_role not in signer_roles:
        held = ", ".join(sorted(r.label for r in signer_roles)) or "no governance role"
        raise SignOffError(
            f"Stage {stage.title!r} must be signed off by the {stage.signoff_role.label}; "
            f"you hold {held} on this programme"
        )
    unmet = [
        f"{c.kind} condition not met: {c.condition.description}"
        for c in sign_off_checks(proc, key, facts)
        if not c.holds
    ]
    if unmet:
        raise SignOffError(f"Stage {stage.title!r} cannot be signed off: " + "; ".join(unmet))
    return stage


def check_reopen(proc: Process, signed_off: Sequence[bool], key: str, reason: str) -> list[int]:
    """Indices of the stages a reopening un-signs (the stage and every later signed one)."""
    i = proc.index(key)
    stage = proc.stages[i]
    cur = current_index(signed_off)
    if i >= cur:
        raise StageError(f"Stage {stage.title!r} is not signed off, so it cannot be reopened")
    if len(reason.strip()) < 10:
        raise StageError(
            f"Reopening {stage.title!r} needs a reason (at least 10 characters) for the record"
        )
    return list(range(i, cur))


def check_editable(proc: Process, signed_off: Sequence[bool], key: str, what: str) -> None:
    """Refuse editing `what` unless its stage is the current one."""
    i = proc.index(key)
    stage = proc.stages[i]
    cur = current_index(signed_off)
    if i < cur:
        raise StageError(
            f"{what} belongs to the stage {stage.title!r}, which is signed off: "
            "reopen it (with a reason) to change it"
        )
    if i > cur:
        raise StageError(
            f"{what} belongs to the stage {stage.title!r}, which has not started: "
            f"finish {proc.stages[cur].title!r} first"
        )
