"""The layouts of NHS England's (and NHS Digital's) published statistics files, as published.

Each layout lists the exact column headings of the file, the column holding the period (or
none: the period then comes from the caller), the organisation column, the rows that count,
and how each measure is made from a row. docs/system.md gives the source of every layout and
how far it was checked against published files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


class Row(Protocol):
    """A data row read by heading."""

    def __getitem__(self, key: str) -> str: ...


@dataclass(frozen=True)
class Derivation:
    """One measure from one row: a numerator and (for a percentage) a denominator."""

    measure: str
    numerator: tuple[str, ...]  # columns summed
    denominator: tuple[str, ...] = ()  # columns summed; empty: the measure is a count
    subtract_from_denominator: bool = False  # numerator = denominator - sum(numerator)
    numerator_if: tuple[str, str] | None = None  # (column, value): rows that feed the numerator
    denominator_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    source: str
    columns: tuple[str, ...]  # every heading the file must have
    org_column: str
    period_column: str | None
    derivations: tuple[Derivation, ...]
    keep: Callable[[Row], bool] = field(default=lambda row: True)
    optional: tuple[str, ...] = ()  # headings the file may have and we ignore
    prefilter: tuple[str, ...] = ()  # text every kept row's line contains (a fast skip)

    @property
    def numeric(self) -> tuple[str, ...]:
        used: list[str] = []
        for d in self.derivations:
            for c in (*d.numerator, *d.denominator):
                if c not in used:
                    used.append(c)
        return tuple(used)


AE_TYPES = ("Type 1", "Type 2", "Other A&E Department")
AE_COLUMNS = (
    "Period",
    "Org Code",
    "Parent Org",
    "Org name",
    "A&E attendances Type 1",
    "A&E attendances Type 2",
    "A&E attendances Other A&E Department",
    "A&E attendances Booked Appointments Type 1",
    "A&E attendances Booked Appointments Type 2",
    "A&E attendances Booked Appointments Other Department",
    "Attendances over 4hrs Type 1",
    "Attendances over 4hrs Type 2",
    "Attendances over 4hrs Other Department",
    "Attendances over 4hrs Booked Appointments Type 1",
    "Attendances over 4hrs Booked Appointments Type 2",
    "Attendances over 4hrs Booked Appointments Other Department",
    "Patients who have waited 4-12 hs from DTA to admission",  # sic: "hs" as published
    "Patients who have waited 12+ hrs from DTA to admission",
    "Emergency admissions via A&E - Type 1",
    "Emergency admissions via A&E - Type 2",
    "Emergency admissions via A&E - Other A&E department",
    "Other emergency admissions",
)
AE = Layout(
    key="ae",
    title="A&E attendances and emergency admissions (monthly, by provider)",
    source="https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
    columns=AE_COLUMNS,
    org_column="Org Code",
    period_column="Period",
    derivations=(
        Derivation(
            "ae_4hr",
            numerator=(
                "Attendances over 4hrs Type 1",
                "Attendances over 4hrs Type 2",
                "Attendances over 4hrs Other Department",
            ),
            denominator=(
                "A&E attendances Type 1",
                "A&E attendances Type 2",
                "A&E attendances Other A&E Department",
            ),
            subtract_from_denominator=True,
        ),
        Derivation(
            "ae_12hr_dta", numerator=("Patients who have waited 12+ hrs from DTA to admission",)
        ),
        Derivation(
            "emergency_admissions",
            numerator=(
                "Emergency admissions via A&E - Type 1",
                "Emergency admissions via A&E - Type 2",
                "Emergency admissions via A&E - Other A&E department",
                "Other emergency admissions",
            ),
        ),
    ),
)

RTT_BANDS = (*(f"Gt {i:02d} To {i + 1:02d} Weeks SUM 1" for i in range(104)), "Gt 104 Weeks SUM 1")
RTT_COLUMNS = (
    "Period",
    "Provider Parent Org Code",
    "Provider Parent Name",
    "Provider Org Code",
    "Provider Org Name",
    "Commissioner Parent Org Code",
    "Commissioner Parent Name",
    "Commissioner Org Code",
    "Commissioner Org Name",
    "RTT Part Type",
    "RTT Part Description",
    "Treatment Function Code",
    "Treatment Function Name",
    *RTT_BANDS,
    "Total",
    "Patients with unknown clock start date",
    "Total All",
)
RTT = Layout(
    key="rtt",
    title="Referral to treatment: full CSV (incomplete pathways, Part_2, all treatment functions)",
    source="https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/",
    columns=RTT_COLUMNS,
    org_column="Provider Org Code",
    period_column="Period",
    # Incomplete pathways only; C_999 is the pre-computed total of the treatment functions,
    # so take it and not the detail rows (never both).
    keep=lambda row: row["RTT Part Type"] == "Part_2" and row["Treatment Function Code"] == "C_999",
    prefilter=("Part_2", "C_999"),
    derivations=(
        Derivation("rtt_18wk", numerator=RTT_BANDS[:18], denominator=("Total All",)),
        Derivation("rtt_52wk", numerator=RTT_BANDS[52:]),
    ),
)

CANCER_COLUMNS = (
    "PERIOD",
    "YEAR",
    "MONTH",
    "STANDARD",
    "ORG_CODE",
    "TREATMENT_MODALITY",
    "CANCER_TYPE",
    "STAGE_OR_ROUTE",
    "TOTAL",
    "WITHIN_STANDARD",
    "BREACHES",
)
CANCER = Layout(
    key="cancer",
    title="Cancer waiting times: provider extract (62-day standard, all cancers, all routes)",
    source="https://www.england.nhs.uk/statistics/statistical-work-areas/cancer-waiting-times/",
    columns=CANCER_COLUMNS,
    org_column="ORG_CODE",
    period_column="PERIOD",
    keep=lambda row: (
        row["STANDARD"] == "62D"
        and row["CANCER_TYPE"] == "ALL CANCERS"
        and row["STAGE_OR_ROUTE"] == "ALL ROUTES"
        and row["TREATMENT_MODALITY"] == "ALL MODALITIES"
    ),
    derivations=(Derivation("cancer_62d", numerator=("WITHIN_STANDARD",), denominator=("TOTAL",)),),
)

DM01_COLUMNS = (
    "Regional Team Code",
    "Regional Team Name",
    "Provider Code",
    "Provider Name",
    "Diagnostic ID",
    "Diagnostic Test Name",
    "Total Waiting List",
    "Number waiting 6+ Weeks",
    "Number waiting 13+ Weeks",
    "Percentage waiting 6+ weeks",
)
DM01 = Layout(
    key="dm01",
    title="Diagnostics waiting times (DM01), provider sheet saved as CSV (no period column)",
    source=(
        "https://www.england.nhs.uk/statistics/statistical-work-areas/"
        "diagnostics-waiting-times-and-activity/monthly-diagnostics-waiting-times-and-activity/"
    ),
    columns=DM01_COLUMNS,
    org_column="Provider Code",
    period_column=None,
    derivations=(
        Derivation(
            "dm01_6wk", numerator=("Number waiting 6+ Weeks",), denominator=("Total Waiting List",)
        ),
    ),
)

DEMENTIA_COLUMNS = ("ACH_DATE", "ORG_TYPE", "ORG_CODE", "ORG_NAME", "MEASURE", "VALUE")
DEMENTIA_REGISTER = "DEMENTIA_REGISTER_65_PLUS"
DEMENTIA_ESTIMATE = "DEMENTIA_ESTIMATE_65_PLUS"
DEMENTIA = Layout(
    key="dementia",
    title="Recorded dementia diagnoses (monthly, by commissioner; long format)",
    source="https://digital.nhs.uk/data-and-information/publications/statistical/recorded-dementia-diagnoses",
    columns=DEMENTIA_COLUMNS,
    org_column="ORG_CODE",
    period_column="ACH_DATE",
    keep=lambda row: row["MEASURE"] in (DEMENTIA_REGISTER, DEMENTIA_ESTIMATE),
    # Long format: one row per measure; register over estimate, summed by organisation.
    derivations=(
        Derivation(
            "dementia_dx",
            numerator=("VALUE",),
            denominator=("VALUE",),
            numerator_if=("MEASURE", DEMENTIA_REGISTER),
            denominator_if=("MEASURE", DEMENTIA_ESTIMATE),
        ),
    ),
)

DTOC_COLUMNS = (
    "Period",
    "Org Code",
    "Org Name",
    "Total Delayed Days",
    "NHS Delayed Days",
    "Social Care Delayed Days",
    "Both NHS and Social Care Delayed Days",
)
DTOC = Layout(
    key="dtoc",
    title="Delayed transfers of care: delayed days by provider (monthly)",
    source="https://www.england.nhs.uk/statistics/statistical-work-areas/delayed-transfers-of-care/",
    columns=DTOC_COLUMNS,
    org_column="Org Code",
    period_column="Period",
    derivations=(Derivation("delayed_days", numerator=("Total Delayed Days",)),),
)

AGENCY_COLUMNS = ("Period", "Org Code", "Org Name", "Agency spend (£000)", "Agency ceiling (£000)")
AGENCY = Layout(
    key="agency",
    title="Agency staff spend against the ceiling (monthly provider return)",
    source="https://improvement.nhs.uk/resources/agency-rules/",
    columns=AGENCY_COLUMNS,
    org_column="Org Code",
    period_column="Period",
    derivations=(Derivation("agency_spend", numerator=("Agency spend (£000)",)),),
)

LAYOUTS: tuple[Layout, ...] = (AE, RTT, CANCER, DM01, DEMENTIA, DTOC, AGENCY)
LAYOUT_BY_KEY: dict[str, Layout] = {layout.key: layout for layout in LAYOUTS}
