# ruff: noqa: E501  (phrase templates read best one to a line)
"""A synthetic stroke consultation with a known theme and stance on every response.

Written to cover what Kent and Medway's listening events and the stroke review raised
(travel time and access, specialist centres, local care, staffing, ambulances, support,
opposition to losing a named local unit, and an organised campaign), so theme discovery
and assignment can be measured against the truth. Deterministic for a given seed.
The texts are built from phrase templates, so they are more regular than real responses:
accuracy measured here is an upper bound on what real consultations will show.

Longer than 400 lines on purpose: most of it is phrase templates (data), kept one to a
line so that they read as the responses they make.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np

from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.survey import LIKERT_5, NOT_STATED, Question, QuestionKind, Survey
from stpkit.reference import get_reference

THEMES: dict[str, str] = {
    "travel_access": "Travel time and access",
    "specialist_centres": "Specialist centres (HASUs) and outcomes",
    "local_care": "Local care and rehabilitation",
    "workforce": "Staffing and workforce",
    "ambulance": "Ambulance and transport to hospital",
    "support": "Support for the proposal",
    "oppose_closure": "Opposition to closing a local unit",
}
THEME_SHARE = {
    "travel_access": 0.20,
    "specialist_centres": 0.14,
    "local_care": 0.12,
    "workforce": 0.10,
    "ambulance": 0.12,
    "support": 0.14,
    "oppose_closure": 0.18,
}
# The same themes as an analyst's framework would give them: a name and a description.
FRAMEWORK: list[FrameworkTheme] = [
    FrameworkTheme(
        "travel_access",
        THEMES["travel_access"],
        "Journeys to a more distant hospital take too long or cost too much for patients, families and visitors, by bus, car or taxi.",
        (),
        "oppose",
    ),
    FrameworkTheme(
        "specialist_centres",
        THEMES["specialist_centres"],
        "Specialist units with expert teams and round-the-clock scanning and treatment give better outcomes than local hospitals.",
        (),
        "support",
    ),
    FrameworkTheme(
        "local_care",
        THEMES["local_care"],
        "Rehabilitation, therapy and support after hospital should be provided locally, close to home and in the community.",
        (),
    ),
    FrameworkTheme(
        "workforce",
        THEMES["workforce"],
        "Recruiting, training and keeping enough nurses, consultants and therapists; staff shortages.",
        (),
    ),
    FrameworkTheme(
        "ambulance",
        THEMES["ambulance"],
        "Ambulance response times, paramedic crews and longer journeys by ambulance to the new units.",
        (),
        "oppose",
    ),
    FrameworkTheme(
        "support",
        THEMES["support"],
        "The respondent supports the proposal and wants it to go ahead.",
        ("I back the plan", "the right decision", "get on with it"),
        "support",
    ),
    FrameworkTheme(
        "oppose_closure",
        THEMES["oppose_closure"],
        "Keep the local stroke unit open; the respondent objects to closing or downgrading it.",
        ("do not close the unit", "hands off our hospital", "save our stroke unit"),
        "oppose",
    ),
]
CAMPAIGN_SHARE = 0.08  # of all responses: a campaign letter (theme oppose_closure)
BLANK_SHARE = 0.05  # no open-text answer

OPTIONS = (
    "Option A: HASUs at Darent Valley, Maidstone and William Harvey",
    "Option B: HASUs at Darent Valley, Medway and William Harvey",
    "Option C: HASUs at Maidstone, Medway and William Harvey",
    "Option D: HASUs at Maidstone, Tunbridge Wells and William Harvey",
    "Option E: HASUs at Medway, Tunbridge Wells and William Harvey",
    "No preference",
)
MATTERS = (
    "Travel time",
    "Specialist staff and treatment",
    "Rehabilitation close to home",
    "Ambulance response",
    "Support for families and carers",
)
STROKE_SURVEY = Survey(
    questions=(
        Question(
            "q1_agree",
            "To what extent do you agree with the proposal to create three hyper acute stroke "
            "units (HASUs) in Kent and Medway?",
            QuestionKind.LIKERT,
            LIKERT_5,
        ),
        Question("q2_option", "Which option do you prefer?", QuestionKind.SINGLE, OPTIONS),
        Question(
            "q3_matters", "What matters most to you? (choose any)", QuestionKind.MULTI, MATTERS
        ),
        Question(
            "q4_comments",
            "Please tell us the reasons for your answers and anything else we should consider.",
            QuestionKind.OPEN,
        ),
    ),
    demographics={
        "age_band": ("Under 25", "25-44", "45-64", "65-74", "75 and over", "Prefer not to say"),
        "sex": ("Female", "Male", "Prefer not to say"),
        "disability": ("Yes", "No", "Prefer not to say"),
    },
)
OPEN_QUESTION = "q4_comments"

# Units as residents name them, and the town each serves.
UNITS = {
    "DA": ("Darent Valley", "Dartford"),
    "KT": ("Kent and Canterbury", "Canterbury"),
    "MD": ("Maidstone Hospital", "Maidstone"),
    "MW": ("Medway Maritime", "Gillingham"),
    "QM": ("the QEQM", "Margate"),
    "TU": ("Tunbridge Wells Hospital", "Tunbridge Wells"),
    "WH": ("William Harvey", "Ashford"),
}
DISTRICT_POSTCODES = {
    "Medway": ("ME1", "ME2", "ME4", "ME5", "ME7", "ME8"),
    "Maidstone": ("ME14", "ME15", "ME16", "ME17"),
    "Swale": ("ME10", "ME12", "ME13"),
    "Canterbury": ("CT1", "CT2", "CT5", "CT6"),
    "Thanet": ("CT9", "CT10", "CT11", "CT12"),
    "Dover": ("CT14", "CT15", "CT16", "CT17"),
    "Folkestone and Hythe": ("CT18", "CT19", "CT20", "CT21"),
    "Ashford": ("TN23", "TN24", "TN25", "TN26"),
    "Tunbridge Wells": ("TN1", "TN2", "TN3", "TN4"),
    "Sevenoaks": ("TN13", "TN14", "TN15", "BR8"),
    "Tonbridge and Malling": ("ME19", "ME20", "TN9", "TN10"),
    "Dartford": ("DA1", "DA2", "DA4"),
    "Gravesham": ("DA11", "DA12", "DA13"),
}

# Phrase templates; {a|b|c} picks one alternative, {unit}/{town}/{far} fill from the area.
TEMPLATES: dict[str, list[str]] = {
    "travel_access": [
        "It will take {over an hour|far too long|much longer} to get to {far} from {town} {by bus|on public transport|by car}.",
        "My family {would struggle|could not afford} to visit me if I was taken to {far}; {the bus service|public transport|parking} is {terrible|expensive|unreliable}.",
        "Travel times are my main worry: {town} to {far} is {45|50|60|70} minutes on a good day and the roads are {congested|gridlocked in summer|always jammed}.",
        "Older people without cars in {town} {cannot|will not be able to} get to a hospital so far away.",
        "Access for visitors and carers has to be considered, the journey to {far} is {long|difficult|costly} {for families|for the elderly|without a car}.",
        "{Parking charges|Bus fares|Taxi fares} and the distance to {far} will put {relatives|partners|elderly spouses} off visiting.",
        "The travel distance from {town} to the nearest unit is {unacceptable|too far|a real barrier} for {rural|coastal|poorer} communities.",
    ],
    "specialist_centres": [
        "Hyper acute stroke units with specialist {consultants|staff|teams} available {24 hours a day|seven days a week} will save lives.",
        "The evidence from {London|Manchester|other regions} shows that {fewer specialist centres|centralised units} {reduce deaths|improve outcomes|cut disability}.",
        "I would rather travel further to a {specialist centre|HASU} with {scanning|thrombectomy|clot-busting treatment} around the clock than go to a local hospital without it.",
        "Concentrating expertise in three HASUs means {faster|better} {thrombolysis|brain scans|specialist assessment} for every patient.",
        "{Specialist|Dedicated} stroke {centres|units} with {round the clock|24/7} {scanners|consultant cover|expert teams} give the best chance of recovery.",
        "Patients do better in {high volume|larger|specialist} units where {clinicians|doctors and nurses} see {many|enough} strokes to stay expert.",
    ],
    "local_care": [
        "Rehabilitation after a stroke should be {close to home|in the community|delivered locally} in {town}.",
        "We need more {community|local} {rehab|physiotherapy|speech therapy} and support for {carers|families} once people leave hospital.",
        "Early supported discharge and {community nursing|GP follow up|social care} must be in place {before|alongside} any change.",
        "Local care services in {town} are already stretched; invest in {community hubs|local care|home support} {first|as well}.",
        "After the first few days patients should {come back|be repatriated|be moved} to {local|community} {beds|rehabilitation|care} near their families.",
        "{Occupational therapy|Physiotherapy|Speech and language therapy} at home made all the difference to my {husband|mother|father|wife}; keep it {local|in the community}.",
    ],
    "workforce": [
        "Where will the {stroke nurses|consultants|therapists} come from? There are already {shortages|vacancies} {across Kent|in Medway|everywhere}.",
        "Staff {recruitment|retention} is the real problem; {agency staff|locums} cost a fortune.",
        "Staff at {unit} will have to travel further to work and {many|some} {will leave|will resign|may retire early}.",
        "Without enough {trained staff|specialist nurses|radiographers} the new units will not work.",
        "{Recruiting|Training|Keeping} enough {stroke consultants|nurses|therapists} must come {first|before anything else}; the workforce {is not there|is exhausted|is ageing}.",
        "A medical school for Kent and Medway {would help|is needed} to {train|grow} our own {doctors|workforce} and cut {agency|locum} costs.",
    ],
    "ambulance": [
        "Ambulances already take {too long|over an hour|ages} to arrive in {town}; longer {journeys|trips} to a HASU will make it worse.",
        "The ambulance service {cannot cope|is under pressure}; paramedics {queue outside A&E|wait hours to hand over}.",
        "The ambulance service needs more {crews|vehicles|paramedics} if patients are to be taken further.",
        "What happens when the ambulance is {stuck on the M2|held up on the A2|delayed by Operation Stack|caught on the M20}?",
        "{Paramedics|Ambulance crews} will spend longer on the road {taking patients|driving} to {far}, leaving {town} without {cover|ambulances}.",
        "Blue light {response|ambulance} times in {town} are {already poor|shocking|getting worse}; {SECAmb|the ambulance trust} must be funded.",
    ],
    "support": [
        "I {fully|strongly} support the proposals.",
        "This is {a sensible|the right|a long overdue} change for stroke care in Kent and Medway.",
        "{Good idea|Well done}, the clinical case is clear and I agree with the preferred option.",
        "I agree with the plan and hope it is {implemented quickly|delivered soon|not delayed further}.",
        "{Yes|Absolutely}, {go ahead|get on with it}; {the case for change is convincing|it makes sense}.",
        "I {back|welcome|endorse} the {plan|proposal|changes} {wholeheartedly|without reservation}.",
    ],
    "oppose_closure": [
        "Do not close the stroke unit at {unit}.",
        "{unit} must keep its stroke {unit|service|ward}; {town} {needs|deserves} its own.",
        "Closing the stroke ward at {unit} would be {a disaster|dangerous|unforgivable} for {town}.",
        "I am against {removing|downgrading|losing} stroke services at {unit}.",
        "{Keep|Save} {unit}'s stroke {unit|service} open, {town} {is growing|has a large elderly population|cannot lose it}.",
        "Hands off {unit}! Losing the stroke {unit|beds} there {will cost lives|is wrong|is a betrayal of {town}}.",
    ],
}
OPENERS = {
    "agree": [
        "I support this.",
        "Overall I agree.",
        "I am in favour.",
        "Broadly supportive.",
        "Yes, this is the right decision.",
        "I cannot see any reason to object.",
        "It is not a bad idea at all.",
        "No objection from me, I welcome it.",
    ],
    "disagree": [
        "I strongly disagree.",
        "I oppose these plans.",
        "I am against this.",
        "This is a bad plan.",
        "I do not support this.",
        "No. This is a mistake.",
        "I cannot agree with the proposals.",
        "Not a good idea.",
    ],
    "unclear": ["Not sure.", "I have mixed feelings.", "Hard to say.", ""],
}
SECOND_THEME_SHARE = 0.35  # responses that also make a point from another theme
TOPIC_THEMES = ("travel_access", "specialist_centres", "local_care", "workforce", "ambulance")
# Known stance for themes that carry one; others take a stance from their opener.
THEME_STANCE = {"support": "agree", "oppose_closure": "disagree"}
STANCE_MIX = {
    "travel_access": (0.15, 0.55, 0.30),
    "specialist_centres": (0.70, 0.05, 0.25),
    "local_care": (0.35, 0.25, 0.40),
    "workforce": (0.15, 0.40, 0.45),
    "ambulance": (0.10, 0.55, 0.35),
}
CAMPAIGN = (
    "Save our stroke unit at {unit}! I object to the closure of the stroke unit at {unit}. "
    "The people of {town} deserve hyper acute stroke care on their doorstep and I urge the "
    "CCGs to think again.{sign}"
)
SIGN_OFFS = ("", "", " Yours sincerely.", " Thank you.", " A concerned resident.")
MATTERS_BY_THEME = {
    "travel_access": "Travel time",
    "specialist_centres": "Specialist staff and treatment",
    "local_care": "Rehabilitation close to home",
    "ambulance": "Ambulance response",
    "workforce": "Specialist staff and treatment",
}


@dataclass(frozen=True)
class SyntheticResponse:
    row: dict[str, str]  # one export row, as a survey tool would write it
    theme: str  # known main theme key ("" for a blank answer)
    stance: str  # agree, disagree, unclear
    campaign: bool
    themes: tuple[str, ...] = ()  # every known theme, main first (several for some)

    def __post_init__(self) -> None:
        if not self.themes and self.theme:
            object.__setattr__(self, "themes", (self.theme,))


def _fill(template: str, rng: np.random.Generator, slots: dict[str, str]) -> str:
    def pick(match: re.Match[str]) -> str:
        choices = match.group(1).split("|")
        return str(choices[int(rng.integers(len(choices)))])

    text = template
    for name, value in slots.items():
        text = text.replace("{" + name + "}", value)
    while "{" in text and "|" in text:
        new = re.sub(r"\{([^{}]*\|[^{}]*)\}", pick, text)
        if new == text:
            break
        text = new
    return text


def _roughen(text: str, rng: np.random.Generator) -> str:
    """Make some texts look typed in a hurry: lower case, no full stop, doubled spaces."""
    roll = rng.random()
    if roll < 0.15:
        text = text.lower()
    elif roll < 0.25:
        text = text.rstrip(".")
    elif roll < 0.30:
        text = text.upper()
    return text


def _areas() -> list[tuple[str, str, str, str, float]]:
    """(lsoa_code, district, nearest unit code, far unit code, weight) for Kent and Medway."""
    ref = get_reference()
    lsoas = ref.lsoas("Kent and Medway")
    units = [u for u in ref.stroke_units("Kent and Medway") if u.short_code in UNITS]
    lat = np.array([u.latitude for u in units])
    lon = np.array([u.longitude for u in units])
    out = []
    for code, name, la, lo, adm in zip(
        lsoas["lsoa_code"],
        lsoas["lsoa_name"],
        lsoas["latitude"],
        lsoas["longitude"],
        lsoas["admissions"],
        strict=True,
    ):
        distance = (lat - la) ** 2 + ((lon - lo) * 0.62) ** 2
        order = np.argsort(distance)
        district = re.sub(r"\s+\d{3}[A-Z]$", "", name)
        out.append(
            (
                code,
                district,
                units[order[0]].short_code,
                units[order[-2]].short_code,
                float(adm) + 1,
            )
        )
    return out


def generate(n: int = 5000, seed: int = 2017) -> list[SyntheticResponse]:
    """n responses to the stroke consultation, each with its known theme and stance."""
    rng = np.random.default_rng(seed)
    areas = _areas()
    weights = np.array([a[4] for a in areas])
    weights /= weights.sum()
    theme_keys = list(THEME_SHARE)
    shares = np.array([THEME_SHARE[k] for k in theme_keys])
    shares /= shares.sum()
    campaign_units = ["MD", "KT", "QM"]
    out: list[SyntheticResponse] = []
    for i in range(n):
        lsoa, district, near, far, _ = areas[int(rng.choice(len(areas), p=weights))]
        unit, town = UNITS[near]
        slots = {"unit": unit, "town": town, "far": UNITS[far][1]}
        roll = rng.random()
        campaign = False
        known: list[str] = []
        if roll < BLANK_SHARE:
            theme, stance, text = "", str(rng.choice(["agree", "disagree", "unclear"])), ""
        elif roll < BLANK_SHARE + CAMPAIGN_SHARE:
            campaign = True
            theme, stance = "oppose_closure", "disagree"
            c_unit = campaign_units[int(rng.integers(len(campaign_units)))]
            c_slots = {"unit": UNITS[c_unit][0], "town": UNITS[c_unit][1]}
            sign = SIGN_OFFS[int(rng.integers(len(SIGN_OFFS)))]
            text = CAMPAIGN.replace("{sign}", sign)
            text = _fill(text, rng, c_slots)
        else:
            theme = theme_keys[int(rng.choice(len(theme_keys), p=shares))]
            sentences = [_fill(str(rng.choice(TEMPLATES[theme])), rng, slots)]
            if rng.random() < 0.35:  # people often say a second thing on the same theme
                sentences.append(_fill(str(rng.choice(TEMPLATES[theme])), rng, slots))
            if theme in THEME_STANCE:
                stance = THEME_STANCE[theme]
                opener = str(rng.choice(OPENERS[stance])) if rng.random() < 0.3 else ""
            else:
                mix = STANCE_MIX[theme]
                stance = str(rng.choice(["agree", "disagree", "unclear"], p=mix))
                opener = str(rng.choice(OPENERS[stance]))
                if stance != "unclear" and rng.random() < 0.25:
                    opener = ""  # the text alone does not say: unclear
                    stance = "unclear"
            known = [theme]
            if rng.random() < SECOND_THEME_SHARE:
                other = [t for t in TOPIC_THEMES if t != theme]
                second = other[int(rng.integers(len(other)))]
                sentences.append(_fill(str(rng.choice(TEMPLATES[second])), rng, slots))
                known.append(second)
            text = _roughen(" ".join([opener, *sentences]).strip(), rng)
        out.append(
            SyntheticResponse(
                row=_closed_answers(i, rng, lsoa, district, theme, stance),
                theme=theme,
                stance=stance,
                campaign=campaign,
                themes=tuple(known) if theme and not campaign else (),
            )
        )
        out[-1].row[OPEN_QUESTION] = text
    return out


def _closed_answers(
    i: int, rng: np.random.Generator, lsoa: str, district: str, theme: str, stance: str
) -> dict[str, str]:
    likert_p = {
        "agree": (0.45, 0.40, 0.10, 0.03, 0.02),
        "disagree": (0.02, 0.05, 0.13, 0.35, 0.45),
        "unclear": (0.10, 0.20, 0.40, 0.20, 0.10),
    }[stance]
    matters = {m for m in MATTERS if rng.random() < 0.25}
    if theme in MATTERS_BY_THEME:
        matters.add(MATTERS_BY_THEME[theme])
    rtype = str(rng.choice(["public", "staff", "organisation"], p=[0.85, 0.12, 0.03]))
    give_lsoa = rng.random() < 0.7
    postcodes = DISTRICT_POSTCODES.get(district, ("ME14",))
    return {
        "response_id": f"R{i + 1:05d}",
        "respondent_type": rtype,
        "age_band": str(
            rng.choice(
                [*STROKE_SURVEY.demographics["age_band"], NOT_STATED],
                p=[0.04, 0.18, 0.33, 0.22, 0.15, 0.04, 0.04],
            )
        ),
        "sex": str(rng.choice(["Female", "Male", "Prefer not to say"], p=[0.56, 0.41, 0.03])),
        "disability": str(rng.choice(["Yes", "No", "Prefer not to say"], p=[0.2, 0.74, 0.06])),
        "postcode_district": str(rng.choice(postcodes)),
        "lsoa_code": lsoa if give_lsoa else "",
        "q1_agree": str(rng.choice(LIKERT_5, p=likert_p)) if rng.random() < 0.97 else "",
        "q2_option": str(rng.choice(OPTIONS)) if rng.random() < 0.9 else "",
        "q3_matters": ";".join(m for m in MATTERS if m in matters),
    }


def to_csv(responses: list[SyntheticResponse]) -> bytes:
    """The responses as a survey tool's CSV export (UTF-8)."""
    columns = list(responses[0].row) if responses else STROKE_SURVEY.required_columns
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for r in responses:
        writer.writerow(r.row)
    return buffer.getvalue().encode("utf-8")
