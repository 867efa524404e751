"""The enabling workstreams in the web app: the estates workbook, the workforce returns and
assumptions, the capital plan, the initiatives and resources of the portfolio, and the
requests transformation workstreams make of the enabling ones.

What people edit is `Versioned` and saved through `core.audit.audited_save`; the returns
themselves (buildings, staff records) are loaded whole through `services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stpkit.enablers import (
    CONDITIONS,
    FUNDING_SOURCES,
    REQUEST_STATUSES,
    STAFF_GROUPS,
    STAGES,
    TENURES,
    USES,
)
from stpkit.web.core.audit import Versioned
from stpkit.web.programme.models import Workstream

PLAN_YEARS = ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23")
RESOURCES = {
    "money": "Money (GBP)",
    "wte_clinical": "Clinical staff (WTE)",
    "wte_nursing": "Nursing staff (WTE)",
    "wte_analyst": "Analysts and project staff (WTE)",
    "wte_estates": "Estates staff (WTE)",
}


class Organisation(models.Model):
    """A partner organisation (NHS trust, CCG, council) by its national code."""

    class Kind(models.TextChoices):
        ACUTE = "acute", "Acute trust"
        COMMUNITY = "community", "Community provider"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        AMBULANCE = "ambulance", "Ambulance trust"
        COUNCIL = "council", "Council"
        CCG = "ccg", "Clinical commissioning group"

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReturnLoad(models.Model):
    """One return loaded for one year: a year is loaded once."""

    class Kind(models.TextChoices):
        ESTATES = "estates", "Estates return"
        WORKFORCE = "workforce", "Workforce return"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(help_text="The year the return describes")
    files = models.CharField(max_length=400)
    rows = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="enablers_return_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class Site(Versioned):
    """A partner's site; its buildings come with each year's estates return."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return self.name


class Building(Versioned):
    """One building in one year's estates return (ERIC shape); edited in the workbook."""

    year = models.PositiveSmallIntegerField()
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="buildings")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    use = models.CharField(max_length=20, choices=list(USES.items()))
    tenure = models.CharField(max_length=12, choices=list(TENURES.items()))
    owner = models.CharField(max_length=200)
    floor_area_m2 = models.FloatField("Floor area (m²)")
    condition = models.CharField(
        max_length=1, choices=list(CONDITIONS.items()), help_text="Six-facet physical condition"
    )
    backlog_high = models.FloatField("High-risk backlog (GBP)", default=0)
    backlog_significant = models.FloatField("Significant-risk backlog (GBP)", default=0)
    backlog_moderate = models.FloatField("Moderate-risk backlog (GBP)", default=0)
    backlog_low = models.FloatField("Low-risk backlog (GBP)", default=0)
    running_cost_per_m2 = models.FloatField("Running cost (GBP per m² a year)")
    utilisation_pct = models.FloatField("Utilisation (%)")
    void_m2 = models.FloatField("Void space (m²)", default=0)
    listed = models.BooleanField("Listed building", default=False)
    disposal_receipt = models.FloatField(
        "Estimated disposal receipt (GBP)", default=0, help_text="0 if not for disposal"
    )
    shared_with = models.CharField(
        max_length=200, blank=True, help_text="Codes of other organisations using it, ; between"
    )

    class Meta:
        ordering = ["site__organisation__name", "site__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="enablers_building_year_code")
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StaffRecord(models.Model):
    """One person in post (workforce minimum data set shape) in one year's return."""

    year = models.PositiveSmallIntegerField()
    record_id = models.CharField(max_length=30)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    staff_group = models.CharField(max_length=20, choices=list(STAFF_GROUPS.items()))
    band = models.CharField(max_length=8)
    wte = models.FloatField()
    age = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "record_id"], name="enablers_staff_once")
        ]
        indexes = [models.Index(fields=["year", "organisation", "staff_group"])]


class StaffMeasure(models.Model):
    """Vacancies, leavers, bank and agency for an organisation and staff group."""

    year = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    staff_group = models.CharField(max_length=20, choices=list(STAFF_GROUPS.items()))
    vacancies_wte = models.FloatField(default=0)
    leavers_wte = models.FloatField(default=0)
    bank_wte = models.FloatField(default=0)
    agency_wte = models.FloatField(default=0)
    agency_spend = models.FloatField(default=0)
    bank_spend = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation", "staff_group"], name="enablers_measure_once"
            )
        ]


class AgencyCap(Versioned):
    """An organisation's agency spending ceiling for a year (GBP)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    cap = models.FloatField("Agency ceiling (GBP)")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="enablers_cap_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} agency ceiling {self.year}"


def _range(name: str, help_text: str) -> tuple[models.FloatField, ...]:  # type: ignore[type-arg]
    return tuple(
        models.FloatField(f"{name}: {which}", default=0, help_text=help_text)
        for which in ("low", "central", "high")
    )


class GroupAssumption(Versioned):
    """The projection's assumptions for one staff group, each a low/central/high range."""

    staff_group = models.CharField(max_length=20, choices=list(STAFF_GROUPS.items()), unique=True)
    training_low, training_central, training_high = _range(
        "Newly qualified a year (WTE)", "Joining from training each year"
    )
    recruitment_low, recruitment_central, recruitment_high = _range(
        "Recruited a year (WTE)", "Other recruitment, including overseas"
    )
    retirement_low, retirement_central, retirement_high = _range(
        "Retirement rate", "Share of staff aged 55+ retiring each year, 0 to 1"
    )
    turnover_low, turnover_central, turnover_high = _range(
        "Turnover rate", "Share of other staff leaving each year, 0 to 1"
    )
    growth_low, growth_central, growth_high = _range(
        "Demand growth", "Activity growth a year, e.g. 0.02 for 2%"
    )

    class Meta:
        ordering = ["staff_group"]

    def __str__(self) -> str:
        return f"Assumptions for {self.get_staff_group_display()}"


class ServiceChangeWorkforce(Versioned):
    """WTE a service change adds (or, negative, releases) from a year of the plan."""

    option = models.CharField("Service change option", max_length=200)
    staff_group = models.CharField(max_length=20, choices=list(STAFF_GROUPS.items()))
    plan_year = models.PositiveSmallIntegerField(help_text="1 to 5: the year of the plan")
    wte = models.FloatField("WTE change", help_text="Positive adds demand, negative releases")

    class Meta:
        ordering = ["plan_year", "option"]

    def __str__(self) -> str:
        return f"{self.option}: {self.wte:+g} WTE {self.staff_group}"


class CapitalScheme(Versioned):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL)
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    option_code = models.CharField(
        "Service change option (code or name)",
        max_length=200,
        blank=True,
        help_text="The option this scheme serves; its capital appears with the option",
    )
    purpose = models.TextField(blank=True)
    funding_source = models.CharField(max_length=12, choices=list(FUNDING_SOURCES.items()))
    stage = models.CharField(
        "Business case stage", max_length=12, choices=list(STAGES.items()), default="idea"
    )
    benefits = models.TextField(blank=True)
    cost_y1 = models.FloatField(f"Cost {PLAN_YEARS[0]} (GBP)", default=0)
    cost_y2 = models.FloatField(f"Cost {PLAN_YEARS[1]} (GBP)", default=0)
    cost_y3 = models.FloatField(f"Cost {PLAN_YEARS[2]} (GBP)", default=0)
    cost_y4 = models.FloatField(f"Cost {PLAN_YEARS[3]} (GBP)", default=0)
    cost_y5 = models.FloatField(f"Cost {PLAN_YEARS[4]} (GBP)", default=0)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def costs(self) -> dict[str, float]:
        return {y: getattr(self, f"cost_y{k + 1}") for k, y in enumerate(PLAN_YEARS)}


class CapitalEnvelope(Versioned):
    year = models.CharField(max_length=7, unique=True, choices=[(y, y) for y in PLAN_YEARS])
    amount = models.FloatField("Capital available (GBP)")

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"Capital envelope {self.year}"


class Initiative(Versioned):
    """Something a workstream wants to do, what it needs, and what it is worth."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveIntegerField(
        help_text="Points: benefits and contribution to the three gaps, less risk"
    )
    # The value's parts (seed 000's "value": benefits, the three gaps, risk). When any part
    # is given, `value` is their sum less the risk (never below 0); when none is, `value`
    # was scored as one figure and the split is unknown.
    value_benefits = models.PositiveIntegerField(null=True, blank=True)
    value_health = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contribution to the health and wellbeing gap"
    )
    value_care = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contribution to the care and quality gap"
    )
    value_finance = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contribution to the funding and efficiency gap"
    )
    value_risk = models.PositiveIntegerField(
        null=True, blank=True, help_text="Points taken off for delivery risk"
    )
    benefits = models.TextField(blank=True)
    mandatory = models.BooleanField(default=False, help_text="Must go ahead (e.g. statutory)")
    requires = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InitiativeNeed(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    resource = models.CharField(max_length=20, choices=list(RESOURCES.items()))
    period = models.CharField(max_length=7, choices=[(y, y) for y in PLAN_YEARS])
    amount = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "resource", "period"], name="enablers_need_once"
            )
        ]


class ResourceLimit(Versioned):
    resource = models.CharField(max_length=20, choices=list(RESOURCES.items()))
    period = models.CharField(max_length=7, choices=[(y, y) for y in PLAN_YEARS])
    amount = models.FloatField()

    class Meta:
        ordering = ["resource", "period"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "period"], name="enablers_limit_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_resource_display()} {self.period}"


class WorkstreamRequest(Versioned):
    """What a transformation workstream needs from an enabling one, and by when."""

    from_workstream = models.ForeignKey(
        Workstream, on_delete=models.CASCADE, related_name="+", verbose_name="From"
    )
    to_workstream = models.ForeignKey(
        Workstream, on_delete=models.CASCADE, related_name="+", verbose_name="To (enabling)"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    needed_by = models.DateField()
    status = models.CharField(max_length=12, choices=list(REQUEST_STATUSES.items()), default="open")
    response = models.TextField(blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["needed_by", "id"]

    def __str__(self) -> str:
        return self.title
