"""Demo content for the enabling workstreams: Kent and Medway's organisations (real names),
a synthetic estates return and workforce return in the national shapes, agency ceilings,
projection assumptions, a capital plan, initiatives with resource limits, and requests
between workstreams. Idempotent: loading twice changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

RETURN_YEAR = 2017
DEMO_BUILDINGS = 300
DEMO_STAFF = 20_000

# (staff group, training, recruitment, retirement rate, turnover, growth), central values;
# low and high are 20% either side (rates) or 30% (WTE inflows).
ASSUMPTIONS = [
    ("nursing", 260.0, 300.0, 0.2, 0.11, 0.025),
    ("medical", 60.0, 110.0, 0.15, 0.08, 0.025),
    ("ahp", 90.0, 90.0, 0.18, 0.1, 0.03),
    ("domiciliary", 0.0, 600.0, 0.2, 0.3, 0.04),
    ("social_care", 20.0, 250.0, 0.2, 0.18, 0.03),
]
SERVICE_CHANGES = [
    ("Hyper-acute stroke units (three sites)", "nursing", 2, 45.0),
    ("Hyper-acute stroke units (three sites)", "medical", 2, 12.0),
    ("Single major emergency centre at William Harvey", "nursing", 4, -35.0),
    ("Local care: multi-disciplinary teams around extended practices", "nursing", 1, 60.0),
    ("Local care: multi-disciplinary teams around extended practices", "ahp", 2, 40.0),
]
# code, name, org, workstream slug, option, funding, stage, costs by year (GBP m), benefits
SCHEMES = [
    (
        "CAP01",
        "Hyper-acute stroke unit, Darent Valley Hospital",
        "RN7",
        "hospital-care",
        "Hyper-acute stroke units (three sites)",
        "national",
        "obc",
        (0.0, 6.5, 4.0, 0.0, 0.0),
        "Stroke care to national standards for north Kent",
    ),
    (
        "CAP02",
        "Hyper-acute stroke unit, Maidstone Hospital",
        "RWF",
        "hospital-care",
        "Hyper-acute stroke units (three sites)",
        "national",
        "obc",
        (0.0, 5.0, 3.5, 0.0, 0.0),
        "Stroke care to national standards for west Kent",
    ),
    (
        "CAP03",
        "Hyper-acute stroke unit, William Harvey Hospital",
        "RVV",
        "hospital-care",
        "Hyper-acute stroke units (three sites)",
        "national",
        "obc",
        (0.0, 7.0, 5.0, 0.0, 0.0),
        "Stroke care to national standards for east Kent",
    ),
    (
        "CAP04",
        "Major emergency centre, William Harvey Hospital",
        "RVV",
        "hospital-care",
        "Single major emergency centre at William Harvey",
        "national",
        "soc",
        (0.0, 0.0, 25.0, 60.0, 45.0),
        "One major emergency centre for east Kent",
    ),
    (
        "CAP05",
        "Local care hubs, Thanet and Swale",
        "RYY",
        "local-care",
        "Local care: multi-disciplinary teams around extended practices",
        "disposals",
        "soc",
        (1.5, 4.0, 4.0, 2.0, 0.0),
        "Care closer to home; frees community hospital space",
    ),
    (
        "CAP06",
        "Shared care record and KID platform",
        None,
        "digital",
        "",
        "internal",
        "fbc",
        (2.0, 2.5, 1.0, 0.5, 0.5),
        "Records shared across health and social care",
    ),
    (
        "CAP07",
        "Backlog maintenance: high-risk items",
        "RPA",
        "estates",
        "",
        "internal",
        "approved",
        (3.0, 3.0, 3.0, 3.0, 3.0),
        "High-risk backlog cleared at Medway Maritime",
    ),
    (
        "CAP08",
        "Mental health place of safety",
        "RXY",
        "mental-health",
        "",
        "national",
        "obc",
        (0.0, 1.8, 1.2, 0.0, 0.0),
        "Section 136 suite for Kent and Medway",
    ),
]
ENVELOPE = (12.0, 30.0, 45.0, 50.0, 40.0)  # GBP m a year
REQUESTS = [
    (
        "hospital-care",
        "workforce",
        "Stroke nurse and consultant recruitment plan",
        "45 WTE nurses and 12 consultants for three hyper-acute units",
        120,
        "accepted",
        40,
    ),
    (
        "hospital-care",
        "estates",
        "Site surveys for the three stroke units",
        "Condition and space surveys at Darent Valley, Maidstone and William Harvey",
        -20,
        "open",
        60,
    ),
    (
        "local-care",
        "estates",
        "Space for hubs in Thanet and Swale",
        "About 2,000 m² of clinical space near the Thanet and Swale practice clusters",
        90,
        "open",
        5,
    ),
    (
        "local-care",
        "digital",
        "Shared record access for multi-disciplinary teams",
        "Read access to the shared care record for community and social care staff",
        200,
        "planned",
        50,
    ),
    (
        "mental-health",
        "workforce",
        "Approved mental health professionals",
        "Ten more AMHPs for the place of safety",
        45,
        "open",
        30,
    ),
    (
        "prevention",
        "digital",
        "Population health dashboards from the KID",
        "Risk stratification by practice from the Kent Integrated Dataset",
        -10,
        "accepted",
        100,
    ),
]


def load() -> None:
    from stpkit.enablers.synthetic import (
        estates_return,
        initiatives,
        organisations,
        workforce_return,
    )
    from stpkit.web.enablers import loading
    from stpkit.web.enablers.models import (
        PLAN_YEARS,
        AgencyCap,
        CapitalEnvelope,
        CapitalScheme,
        GroupAssumption,
        Initiative,
        InitiativeNeed,
        Organisation,
        ResourceLimit,
        ReturnLoad,
        ServiceChangeWorkforce,
        StaffMeasure,
        WorkstreamRequest,
    )
    from stpkit.web.programme.models import Workstream

    orgs = organisations()
    with transaction.atomic():
        for code, name, kind in orgs:
            Organisation.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
        if not ReturnLoad.objects.filter(kind="estates", year=RETURN_YEAR).exists():
            sites, buildings = estates_return(orgs, buildings=DEMO_BUILDINGS)
            loading.import_estates(
                sites=("estates-sites-2017.csv", sites),
                buildings=("estates-buildings-2017.csv", buildings),
                year=RETURN_YEAR,
                user=None,
            )
        if not ReturnLoad.objects.filter(kind="workforce", year=RETURN_YEAR).exists():
            staff, measures = workforce_return(orgs, staff=DEMO_STAFF)
            loading.import_workforce(
                staff=("workforce-staff-2017.csv", staff),
                measures=("workforce-measures-2017.csv", measures),
                year=RETURN_YEAR,
                user=None,
            )
        for org in Organisation.objects.exclude(kind="ccg"):
            spend = sum(
                StaffMeasure.objects.filter(year=RETURN_YEAR, organisation=org).values_list(
                    "agency_spend", flat=True
                )
            )
            if spend and not AgencyCap.objects.filter(organisation=org, year=RETURN_YEAR).exists():
                # ceilings a little under or over today's spend, by organisation
                factor = 0.85 + (sum(map(ord, org.code)) % 5) * 0.08
                AgencyCap.objects.create(
                    organisation=org, year=RETURN_YEAR, cap=round(spend * factor, -4)
                )
        for staff_group, train, recruit, retire, turnover, growth in ASSUMPTIONS:
            fields: dict[str, float] = {}
            for name, central, spread in (
                ("training", train, 0.3),
                ("recruitment", recruit, 0.3),
                ("retirement", retire, 0.2),
                ("turnover", turnover, 0.2),
                ("growth", growth, 0.4),
            ):
                fields[f"{name}_low"] = round(central * (1 - spread), 4)
                fields[f"{name}_central"] = central
                fields[f"{name}_high"] = round(central * (1 + spread), 4)
            GroupAssumption.objects.get_or_create(staff_group=staff_group, defaults=fields)
        for option, group, change_year, wte in SERVICE_CHANGES:
            ServiceChangeWorkforce.objects.get_or_create(
                option=option, staff_group=group, plan_year=change_year, defaults={"wte": wte}
            )
        ws = {w.slug: w for w in Workstream.objects.all()}
        by_code = {o.code: o for o in Organisation.objects.all()}
        for code, name, org_code, slug, option, funding, stage, costs, benefits in SCHEMES:
            CapitalScheme.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "organisation": by_code.get(org_code) if org_code else None,
                    "workstream": ws.get(slug),
                    "option_code": option,
                    "funding_source": funding,
                    "stage": stage,
                    "benefits": benefits,
                    "purpose": benefits,
                    **{f"cost_y{k + 1}": c * 1e6 for k, c in enumerate(costs)},
                },
            )
        for plan_year, amount in zip(PLAN_YEARS, ENVELOPE, strict=True):
            CapitalEnvelope.objects.get_or_create(year=plan_year, defaults={"amount": amount * 1e6})
        if ws and not Initiative.objects.exists():
            items, limits = initiatives(40, seed=11)
            slugs = list(ws)
            created = {}
            for k, item in enumerate(items):
                ini = Initiative.objects.create(
                    code=item.code,
                    name=f"{ws[slugs[k % len(slugs)]].name} initiative {k + 1}",
                    workstream=ws[slugs[k % len(slugs)]],
                    value=int(item.value),
                    mandatory=k == 0,
                    **_value_parts(int(item.value), k),
                )
                created[item.code] = ini
                InitiativeNeed.objects.bulk_create(
                    [
                        InitiativeNeed(initiative=ini, resource=r, period=p, amount=a)
                        for (r, p), a in item.needs.items()
                    ]
                )
            for item in items:
                for req in item.requires:
                    created[item.code].requires.add(created[req])
            for (resource, period), amount in limits.items():
                ResourceLimit.objects.get_or_create(
                    resource=resource, period=period, defaults={"amount": amount}
                )
        today = date.today()
        for frm, to, title, detail, due_in, status, raised_ago in REQUESTS:
            if frm not in ws or to not in ws:
                continue
            request, made = WorkstreamRequest.objects.get_or_create(
                title=title,
                defaults={
                    "from_workstream": ws[frm],
                    "to_workstream": ws[to],
                    "detail": detail,
                    "needed_by": today + timedelta(days=due_in),
                    "status": status,
                    "response": "" if status == "open" else "In the workstream's plan",
                },
            )
            if made:  # raised_at is set on creation; date it back as the demo story has it
                WorkstreamRequest.objects.filter(pk=request.pk).update(
                    raised_at=request.raised_at - timedelta(days=raised_ago)
                )


def _value_parts(value: int, k: int) -> dict[str, int]:
    """A demo initiative's value in parts (benefits, the three gaps, less a risk of about a
    tenth) that come back to `value`; which gap it serves most turns with `k`."""
    risk = round(value * 0.1)
    total = value + risk
    benefits = round(total * 0.4)
    shares = [(0.35, 0.15), (0.15, 0.35), (0.1, 0.1)][k % 3]
    health, care = round(total * shares[0]), round(total * shares[1])
    finance = max(0, total - benefits - health - care)
    return {
        "value_benefits": benefits,
        "value_health": health,
        "value_care": care,
        "value_finance": finance,
        "value_risk": benefits + health + care + finance - value,
    }
