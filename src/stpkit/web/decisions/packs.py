"""Gather a programme's records into a `DecisionPack` and write it with the report writers."""

from __future__ import annotations

from functools import lru_cache

from stpkit.appraisal import Evaluation, switching_values
from stpkit.decisions import stages
from stpkit.reports.decision_packs import (
    DecisionPack,
    EqualitySection,
    StageLine,
    write_dmbc_summary,
    write_pcbc_chapter,
)
from stpkit.web.decisions import services, stroke_source
from stpkit.web.decisions.models import Decision, Option, Programme

KINDS = {"pcbc": "options-appraisal-chapter", "dmbc": "dmbc-summary"}


STROKE_REGION = "Kent and Medway"


def chosen_option(prog: Programme, ev: Evaluation | None) -> Option | None:
    """The preferred option once agreed, else the evaluation's leader, else none."""
    if prog.preferred_option is not None:
        return prog.preferred_option
    if ev is None:
        return None
    return prog.options.filter(code=ev.preferred.name).first()


def stroke_equality(prog: Programme, ev: Evaluation | None) -> EqualitySection | None:
    """The stroke model's equality and access impact of the chosen option (tables and the
    change map); none for another process, business as usual or sites the model lacks."""
    option = chosen_option(prog, ev) if prog.process_key == "stroke" else None
    if option is None or option.business_as_usual or not option.member_list:
        return None
    return _equality_of(option.code, option.name, tuple(option.member_list))


@lru_cache(maxsize=16)
def _equality_of(code: str, name: str, sites: tuple[str, ...]) -> EqualitySection | None:
    """One option's section, kept: the model and its map depend only on the sites (the
    region's model is built once per process), and drawing the map takes seconds."""
    from stpkit.errors import StpkitError
    from stpkit.reference import get_reference
    from stpkit.reports.stroke_equality import equality_section
    from stpkit.stroke.business_case import BusinessCaseModel

    model = stroke_source.model_for(STROKE_REGION)
    try:
        result = model.evaluate(model.configuration(code, sites))
    except StpkitError:
        return None
    return equality_section(BusinessCaseModel(model), result, get_reference(), f"{code}: {name}")


def gather(prog: Programme, with_equality: bool = False) -> DecisionPack:
    rows = services.stage_rows(prog)
    states = stages.states([s.signed_off for s in rows])
    ev = services.evaluation(prog)
    rnd = services.latest_round(prog)
    decision = Decision.objects.filter(programme=prog).select_related("option").first()
    rejected = []
    for o in prog.options.filter(reached="long").prefetch_related("hurdle_results__criterion"):
        reasons = "; ".join(
            f"{r.criterion.name}: {r.reason}" for r in o.hurdle_results.all() if not r.passed
        )
        if reasons:
            rejected.append((o.code, o.name, reasons))
    return DecisionPack(
        programme=prog.name,
        summary=prog.summary,
        process=prog.process.title,
        stages=[
            StageLine(
                s.title,
                st.value.replace("_", " "),
                s.signed_off_by.display_name if s.signed_off_by else "",  # type: ignore[attr-defined]
                s.get_signed_off_as_display() if s.signed_off_as else "",
                s.signed_off_on,
            )
            for s, st in zip(rows, states, strict=True)
        ],
        funnel=services.funnel(prog),
        rejected=rejected,
        criteria=[
            (c.get_group_display(), c.name, c.weight) for c in prog.evaluation_criteria.all()
        ],
        option_names={o.code: o.name for o in prog.options.all()},
        evaluation=ev,
        switching=switching_values(ev) if ev is not None else (),
        moderations=[
            (m.option.code, m.criterion.name, m.score, m.reason)
            for m in (rnd.moderations.select_related("option", "criterion") if rnd else [])
        ],
        schedules=[(sc.name, base, fc) for sc, base, fc in services.schedules(prog)],
        preferred=str(prog.preferred_option) if prog.preferred_option else None,
        consultation=(
            prog.consultation_starts,
            prog.consultation_ends,
            prog.consultation_reference,
        ),
        decision=(
            (decision.decided_on, decision.body, str(decision.option), decision.conditions)
            if decision
            else None
        ),
        consultation_analyses=[
            c.title
            + (f" ({c.opens:%d/%m/%Y} to {c.closes:%d/%m/%Y})" if c.opens and c.closes else "")
            for c in services.linked_consultations(prog)
        ],
        equality=stroke_equality(prog, ev) if with_equality else None,
    )


def build(prog: Programme, kind: str) -> tuple[bytes, str]:
    pack = gather(prog, with_equality=kind == "pcbc")
    data = write_pcbc_chapter(pack) if kind == "pcbc" else write_dmbc_summary(pack)
    return data, f"{prog.slug}-{KINDS[kind]}.docx"
