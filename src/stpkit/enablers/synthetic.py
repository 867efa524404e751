"""Synthetic returns in the national shapes for Kent and Medway's organisations (real
names, made-up numbers), for the demo and the benchmarks. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import numpy as np

from stpkit.enablers.estates import BACKLOG_RISKS
from stpkit.enablers.importers import BUILDING_COLUMNS, MEASURE_COLUMNS, SITE_COLUMNS, STAFF_COLUMNS
from stpkit.enablers.portfolio import Initiative
from stpkit.enablers.workforce import STAFF_GROUPS

# (code, name, kind, main site name or "", staff in post (people), agency cap GBP)
ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("RN7", "Dartford and Gravesham NHS Trust", "acute"),
    ("RWF", "Maidstone and Tunbridge Wells NHS Trust", "acute"),
    ("RPA", "Medway NHS Foundation Trust", "acute"),
    ("RVV", "East Kent Hospitals University NHS Foundation Trust", "acute"),
    ("RYY", "Kent Community Health NHS Foundation Trust", "community"),
    ("NQ1", "Medway Community Healthcare", "community"),
    ("RXY", "Kent and Medway NHS and Social Care Partnership Trust", "mental_health"),
    ("RYD", "South East Coast Ambulance Service NHS Foundation Trust", "ambulance"),
    ("KCC", "Kent County Council", "council"),
    ("MC", "Medway Council", "council"),
    ("09C", "NHS Ashford CCG", "ccg"),
    ("09E", "NHS Canterbury and Coastal CCG", "ccg"),
    ("09J", "NHS Dartford, Gravesham and Swanley CCG", "ccg"),
    ("09W", "NHS Medway CCG", "ccg"),
    ("10A", "NHS South Kent Coast CCG", "ccg"),
    ("10D", "NHS Swale CCG", "ccg"),
    ("10E", "NHS Thanet CCG", "ccg"),
    ("99J", "NHS West Kent CCG", "ccg"),
)
# Main sites of the providers (real names).
MAIN_SITES = {
    "RN7": ["Darent Valley Hospital", "Queen Mary's Hospital Sidcup"],
    "RWF": ["Maidstone Hospital", "Tunbridge Wells Hospital"],
    "RPA": ["Medway Maritime Hospital"],
    "RVV": [
        "William Harvey Hospital",
        "Queen Elizabeth The Queen Mother Hospital",
        "Kent and Canterbury Hospital",
    ],
    "RYY": ["Sevenoaks Hospital", "Faversham Cottage Hospital", "Gravesham Community Hospital"],
    "NQ1": ["Rochester Healthy Living Centre"],
    "RXY": ["Priority House", "St Martin's Hospital"],
    "RYD": ["Banstead Make Ready Centre"],
    "KCC": ["Sessions House"],
    "MC": ["Gun Wharf"],
}
USE_BY_KIND = {
    "acute": ["acute", "acute", "outpatient", "office", "support"],
    "community": ["community", "community", "office"],
    "mental_health": ["mental_health", "mental_health", "office"],
    "ambulance": ["support", "office"],
    "council": ["social_care", "office"],
    "ccg": ["office"],
}
GROUPS_BY_KIND = {
    "acute": ["medical", "nursing", "midwives", "ahp", "stt", "support", "infrastructure"],
    "community": ["nursing", "ahp", "stt", "support", "infrastructure"],
    "mental_health": ["medical", "nursing", "ahp", "support", "infrastructure"],
    "ambulance": ["ambulance", "support", "infrastructure"],
    "council": ["social_care", "domiciliary", "infrastructure"],
    "ccg": ["infrastructure"],
}
WEIGHT = {"acute": 10, "community": 4, "mental_health": 3, "ambulance": 3, "council": 3, "ccg": 0.3}
AGENCY_RATE = {"medical": 150_000.0, "nursing": 70_000.0, "ahp": 65_000.0}


def organisations(n: int = len(ORGANISATIONS)) -> list[tuple[str, str, str]]:
    """The first `n` organisations; beyond the 18 real ones, numbered GP federations."""
    orgs = list(ORGANISATIONS[:n])
    for i in range(len(orgs), n):
        orgs.append((f"GPF{i:02d}", f"Kent GP Federation {i - len(ORGANISATIONS) + 1}", "ccg"))
    return orgs


def _csv(header: Sequence[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode()


def estates_return(
    orgs: Sequence[tuple[str, str, str]], buildings: int = 500, seed: int = 1
) -> tuple[bytes, bytes]:
    """(sites CSV, buildings CSV): about three buildings a site, shared out by size."""
    rng = np.random.default_rng(seed)
    weights = np.array([WEIGHT[k] for _, _, k in orgs], dtype=float)
    per_org = np.maximum(1, np.round(buildings * weights / weights.sum())).astype(int)
    per_org[int(np.argmax(per_org))] += buildings - int(per_org.sum())
    sites: list[list[object]] = []
    rows: list[list[object]] = []
    codes = [c for c, _, _ in orgs]
    for (code, name, kind), nb in zip(orgs, per_org, strict=True):
        names = MAIN_SITES.get(code, [])
        nsites = max(1, int(nb) // 3)
        for s in range(nsites):
            site_name = names[s] if s < len(names) else f"{name.split(' NHS')[0]} site {s + 1}"
            sites.append([f"{code}S{s + 1:02d}", site_name, code, ""])
        for b in range(int(nb)):
            site = f"{code}S{b % nsites + 1:02d}"
            use = USE_BY_KIND[kind][b % len(USE_BY_KIND[kind])]
            area = float(np.round(rng.lognormal(7.5 if use == "acute" else 6.5, 0.6)))
            util = float(np.clip(rng.beta(6, 2) * 100, 20, 100))
            void = float(np.round(area * 0.15)) if rng.random() < 0.08 else 0.0
            cond = rng.choice(["A", "B", "B", "B", "C", "C", "D"])
            backlog = [
                float(np.round(area * rng.gamma(1.0, f))) if cond in "CD" else 0.0
                for f in (20, 40, 60, 30)
            ]
            tenure = rng.choice(["freehold"] * 5 + ["leasehold", "nhsps", "chp"])
            receipt = (
                float(np.round(area * rng.uniform(800, 2000), -3))
                if tenure == "freehold" and util < 55 and use == "office"
                else 0.0
            )
            shared = rng.choice([c for c in codes if c != code]) if rng.random() < 0.1 else ""
            rows.append(
                [
                    site,
                    f"{site}-B{b + 1:03d}",
                    f"Block {b + 1}",
                    use,
                    tenure,
                    name,
                    area,
                    cond,
                    *backlog,
                    float(np.round(rng.normal(320 if use == "acute" else 190, 30))),
                    round(util, 1),
                    void,
                    "Y" if rng.random() < 0.04 else "N",
                    receipt,
                    shared,
                ]
            )
    assert len(BACKLOG_RISKS) == 4
    return (
        _csv([c.name for c in SITE_COLUMNS], sites),
        _csv([c.name for c in BUILDING_COLUMNS], rows),
    )


def workforce_return(
    orgs: Sequence[tuple[str, str, str]], staff: int = 60_000, seed: int = 2
) -> tuple[bytes, bytes]:
    """(staff CSV, measures CSV): one row per person, one per organisation and group."""
    rng = np.random.default_rng(seed)
    weights = np.array([WEIGHT[k] for _, _, k in orgs], dtype=float)
    per_org = np.round(staff * weights / weights.sum()).astype(int)
    per_org[int(np.argmax(per_org))] += staff - int(per_org.sum())
    people: list[list[object]] = []
    measures: list[list[object]] = []
    pid = 0
    for (code, _, kind), n in zip(orgs, per_org, strict=True):
        groups = GROUPS_BY_KIND[kind]
        mix = rng.dirichlet(np.ones(len(groups)) * 4)
        chosen = rng.choice(len(groups), size=int(n), p=mix)
        ages = np.clip(rng.normal(44, 11, size=int(n)), 18, 70).astype(int)
        wte = np.where(rng.random(int(n)) < 0.7, 1.0, np.round(rng.uniform(0.3, 0.9, int(n)), 2))
        for g, age, w in zip(chosen, ages, wte, strict=True):
            pid += 1
            group = groups[int(g)]
            band = "medical" if group == "medical" else str(int(rng.integers(2, 8)))
            people.append([f"P{pid:07d}", code, group, band, float(w), int(age)])
        for k, group in enumerate(groups):
            in_post = float(wte[chosen == k].sum())
            agency = round(in_post * rng.uniform(0.01, 0.06), 1)
            rate = AGENCY_RATE.get(group, 45_000.0)
            measures.append(
                [
                    code,
                    group,
                    round(in_post * rng.uniform(0.04, 0.14), 1),
                    round(in_post * rng.uniform(0.08, 0.16), 1),
                    round(in_post * rng.uniform(0.02, 0.06), 1),
                    agency,
                    round(agency * rate, -2),
                    round(in_post * 0.04 * 35_000, -2),
                ]
            )
    assert set(GROUPS_BY_KIND["council"]) <= set(STAFF_GROUPS)
    return (
        _csv([c.name for c in STAFF_COLUMNS], people),
        _csv([c.name for c in MEASURE_COLUMNS], measures),
    )


PERIODS = ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23")
WTE_KINDS = ("wte_clinical", "wte_nursing", "wte_analyst", "wte_estates")
WORKSTREAMS = (
    "prevention",
    "local-care",
    "hospital-care",
    "mental-health",
    "digital",
    "workforce",
    "estates",
    "productivity",
)


def initiatives(
    n: int = 300, seed: int = 3
) -> tuple[list[Initiative], dict[tuple[str, str], float]]:
    """`n` initiatives over five years and limits at about half of what they all need.

    Returns (initiatives, limits)."""
    rng = np.random.default_rng(seed)
    items: list[Initiative] = []
    total: dict[tuple[str, str], float] = {}
    for k in range(n):
        start = int(rng.integers(0, 3))
        length = int(rng.integers(1, 4))
        # as plans state them: money to the nearest 50k GBP a year, WTE in halves
        money = float(max(1, np.round(rng.lognormal(12.5, 0.8) / 50_000)) * 50_000)
        needs: dict[tuple[str, str], float] = {}
        for p in PERIODS[start : start + length]:
            needs[("money", p)] = money
            for kind in rng.choice(WTE_KINDS, size=int(rng.integers(1, 3)), replace=False):
                needs[(str(kind), p)] = float(max(1, np.round(rng.uniform(0.2, 4.0) * 2)) / 2)
        for key, v in needs.items():
            total[key] = total.get(key, 0.0) + v
        cost = money * length
        # value in points (benefits, the three gaps, less risk), whole numbers as scored
        value = float(max(1, np.round(cost * rng.uniform(0.5, 2.5) / 100_000)))
        requires = (f"I{int(rng.integers(0, k)):03d}",) if k > 10 and rng.random() < 0.05 else ()
        items.append(
            Initiative(
                code=f"I{k:03d}",
                name=f"Initiative {k}",
                value=value,
                needs=needs,
                workstream=WORKSTREAMS[k % len(WORKSTREAMS)],
                requires=requires,
            )
        )
    limits = {key: float(np.round(v * 0.5)) for key, v in total.items()}
    return items, limits
