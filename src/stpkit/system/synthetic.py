"""Synthetic national statistics files in the published layouts, for the demo, the tests and
the benchmark. Nothing is downloaded; the numbers are made up, deterministic by seed, and
sit near Kent and Medway's published levels of the STP years (four-hour performance in the
high 80s, referral to treatment under 92%, cancer 62-day under 85%, dementia diagnosis a
little under two thirds)."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

from stpkit.system import layouts as L
from stpkit.system.organisations import Organisation, england

TFCS = (("C_999", "Total"), ("C_100", "General Surgery"), ("C_110", "Trauma & Orthopaedics"))
PARTS = (
    ("Part_1A", "Completed Pathways For Admitted Patients"),
    ("Part_1B", "Completed Pathways For Non-Admitted Patients"),
    ("Part_2", "Incomplete Pathways"),
    ("Part_2A", "Incomplete Pathways with DTA"),
    ("Part_3", "New RTT Periods - All Patients"),
)
DM01_TESTS = (
    (1, "Magnetic Resonance Imaging"),
    (2, "Computed Tomography"),
    (5, "Non-obstetric ultrasound"),
)


def months(start: date, count: int) -> list[date]:
    out = []
    y, m = start.year, start.month
    for _ in range(count):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _rng(seed: int, period: date, key: str) -> np.random.Generator:
    return np.random.default_rng([seed, period.year, period.month, sum(map(ord, key))])


def _acute(orgs: Sequence[Organisation]) -> list[Organisation]:
    return [o for o in orgs if o.kind == "acute"]


def _drift(period: date, start: float, per_year: float) -> float:
    """A slow drift from April 2015, so five years of data show a trend to chart."""
    years = (period.year - 2015) + (period.month - 4) / 12
    return start + per_year * years


def ae_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "ae")
    label = f"MSitAE-{period:%B}-{period.year}".upper()
    rows = []
    for o in _acute(orgs):
        t1 = int(rng.integers(6000, 14000))
        t3 = int(rng.integers(1000, 5000))
        share = min(0.4, max(0.02, rng.normal(1 - _drift(period, 0.90, -0.01), 0.03)))
        over1 = int(t1 * share * 1.3)
        over3 = int(t3 * share * 0.1)
        dta12 = int(max(0, rng.normal(5 if o.partnership else 3, 4)))
        adm1 = int(t1 * 0.28)
        rows.append(
            [label, o.code, "NHS ENGLAND SOUTH EAST", o.name, t1, 0, t3, 0, 0, 0,
             over1, 0, over3, 0, 0, 0, int(adm1 * 0.2), dta12, adm1, 0, int(t3 * 0.01),
             int(rng.integers(800, 2500))]
        )  # fmt: skip
    return _csv(L.AE_COLUMNS, rows)


# The published full CSV has every commissioner and treatment function of each provider;
# `full_scale` approaches its size (about 150,000 rows a month in England).
TFCS_FULL = (
    ("C_999", "Total"),
    *((f"C_{c}", f"Treatment function {c}") for c in (
        100, 101, 110, 120, 130, 140, 150, 160, 170, 300, 301, 320, 330, 340, 400, 410, 430,
        502)),
    *((f"X0{c}", f"Other {c}") for c in range(2, 7)),
)  # fmt: skip


def rtt_file(
    period: date,
    orgs: Sequence[Organisation],
    seed: int = 0,
    *,
    full_scale: bool = False,
) -> str:
    rng = _rng(seed, period, "rtt")
    label = f"RTT-{period:%B}-{period.year}"
    weeks = np.arange(105)
    rows = []
    tfcs = TFCS_FULL if full_scale else TFCS
    commissioners = (
        [("09W", "NHS MEDWAY CCG")] + [(f"Y{i:02d}A", f"SYNTHETIC CCG {i}") for i in range(5)]
        if full_scale
        else [("09W", "NHS MEDWAY CCG")]
    )
    for o in _acute(orgs):
        within = min(0.97, max(0.6, rng.normal(_drift(period, 0.91, -0.015), 0.02)))
        size = int(rng.integers(15000, 45000))
        for (part, desc), (tfc, tfc_name), (comm, comm_name) in itertools.product(
            PARTS, tfcs, commissioners
        ):
            scale = 1.0 if tfc == "C_999" else 0.3
            if part == "Part_2":
                # geometric wait profile tuned so `within` of pathways are under 18 weeks
                q = (1 - within) ** (1 / 18)
                shape = (1 - q) * q**weeks
                counts = np.floor(shape / shape.sum() * size * scale).astype(int).tolist()
                bands: list[object] = list(counts)
                total: object = ""
                total_all = int(sum(counts))
            elif part == "Part_3":
                bands, total, total_all = [""] * 105, "", int(size * 0.1 * scale)
            else:
                counts = [int(size * 0.002 * scale)] * 20 + [0] * 85
                bands = list(counts)
                total = total_all = int(sum(counts))
            parent = ["QKS", "NHS KENT AND MEDWAY"]
            rows.append(
                [label, *parent, o.code, o.name, *parent, comm, comm_name,
                 part, desc, tfc, tfc_name, *bands, total, "", total_all]
            )  # fmt: skip
    return _csv(L.RTT_COLUMNS, rows)


def cancer_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "cancer")
    label = f"{period:%Y-%m}"
    rows = []
    for o in _acute(orgs):
        total = int(rng.integers(40, 140))
        share = min(1.0, max(0.5, rng.normal(_drift(period, 0.83, -0.01), 0.04)))
        within = int(total * share)
        for standard in ("62D", "31D"):
            rows.append(
                [label, period.year, period.strftime("%b").upper(), standard, o.code,
                 "ALL MODALITIES", "ALL CANCERS", "ALL ROUTES", total, within, total - within]
            )  # fmt: skip
    return _csv(L.CANCER_COLUMNS, rows)


def dm01_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "dm01")
    rows = []
    for o in _acute(orgs):
        for test_id, test in DM01_TESTS:
            total = int(rng.integers(800, 4000))
            share = min(0.3, max(0.0, rng.normal(_drift(period, 0.015, 0.004), 0.008)))
            six = int(total * share)
            rows.append(
                ["Y59", "SOUTH EAST", o.code, o.name, test_id, test, total, six, int(six * 0.2),
                 f"{100 * six / total:.1f}%"]
            )  # fmt: skip
    return _csv(L.DM01_COLUMNS, rows)


def dementia_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "dementia")
    label = period.replace(day=28).isoformat()
    rows = []
    for o in orgs:
        if o.kind != "commissioner":
            continue
        estimate = int(rng.integers(1500, 6000))
        rate = min(0.9, max(0.4, rng.normal(_drift(period, 0.60, 0.01), 0.03)))
        rows.append([label, "CCG", o.code, o.name, L.DEMENTIA_REGISTER, int(estimate * rate)])
        rows.append([label, "CCG", o.code, o.name, L.DEMENTIA_ESTIMATE, estimate])
    return _csv(L.DEMENTIA_COLUMNS, rows)


def dtoc_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "dtoc")
    label = f"{period:%b-%y}"
    rows = []
    for o in _acute(orgs):
        nhs, social, both = (int(rng.integers(100, 900)) for _ in range(3))
        rows.append([label, o.code, o.name, nhs + social + both, nhs, social, both])
    return _csv(L.DTOC_COLUMNS, rows)


def agency_file(period: date, orgs: Sequence[Organisation], seed: int = 0) -> str:
    rng = _rng(seed, period, "agency")
    label = f"{period:%Y-%m}"
    rows = []
    for o in _acute(orgs):
        ceiling = int(rng.integers(800, 2000))
        spend = int(ceiling * max(0.5, rng.normal(_drift(period, 1.25, -0.08), 0.08)))
        rows.append([label, o.code, o.name, spend, ceiling])
    return _csv(L.AGENCY_COLUMNS, rows)


WRITERS = {
    "ae": ae_file,
    "rtt": rtt_file,
    "cancer": cancer_file,
    "dm01": dm01_file,
    "dementia": dementia_file,
    "dtoc": dtoc_file,
    "agency": agency_file,
}


def file_name(layout: str, period: date) -> str:
    return f"{layout}-{period:%Y-%m}.csv"


def write_national_files(
    directory: Path,
    periods: Sequence[date],
    orgs: Sequence[Organisation] | None = None,
    *,
    seed: int = 0,
    layouts: Sequence[str] = tuple(WRITERS),
) -> list[Path]:
    """One file per layout per month, named '<layout>-YYYY-MM.csv'."""
    organisations = list(orgs) if orgs is not None else list(england())
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for period in periods:
        for key in layouts:
            path = directory / file_name(key, period)
            path.write_text(WRITERS[key](period, organisations, seed), encoding="utf-8")
            paths.append(path)
    return paths


# The demo's made-up details of its organisations in the ODS list (only the Kent and Medway
# codes, names and the CCGs' closure on 31 March 2020, when they merged into one CCG, are
# real; the South East region is Y59 and Kent and Medway's ICB geography QKS in ODS).
KENT_MEDWAY_CCG_CLOSED = date(2020, 3, 31)


def ods_files(orgs: Sequence[Organisation] | None = None) -> dict[str, str]:
    """The organisations as ODS files in the published layout: 'etr.csv' (trusts) and
    'eccg.csv' (commissioners); Kent and Medway's have health geography QKS."""
    from stpkit.system.ods import KENT_MEDWAY_GEOGRAPHY, OdsOrganisation, write_ods_csv

    organisations = list(orgs) if orgs is not None else list(england())

    def ods(o: Organisation) -> OdsOrganisation:
        commissioner = o.kind == "commissioner"
        return OdsOrganisation(
            code=o.code,
            name=o.name,
            kind="commissioner" if commissioner else "trust",
            national_grouping="Y59" if o.partnership else "Y99",
            health_geography=KENT_MEDWAY_GEOGRAPHY if o.partnership else "QZZ",
            postcode="ME14 1AA" if o.partnership else "ZZ99 9ZZ",
            open_date=date(2013, 4, 1) if commissioner else date(2000, 4, 1),
            close_date=KENT_MEDWAY_CCG_CLOSED if commissioner and o.partnership else None,
            parent="",
        )

    return {
        "etr.csv": write_ods_csv(ods(o) for o in organisations if o.kind != "commissioner"),
        "eccg.csv": write_ods_csv(ods(o) for o in organisations if o.kind == "commissioner"),
    }
