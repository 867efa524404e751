"""The system view: measures, their plan and actuals per month, and the national files
they are read from (provider by provider, so the partnership figure can be recomputed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stpkit.system import catalogue as engine
from stpkit.system.spc import Polarity
from stpkit.web.core.audit import Versioned
from stpkit.web.programme.models import Workstream


class Measure(Versioned):
    """One measure of the catalogue (stpkit.system.catalogue.MeasureDefinition)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, default="%")
    source = models.CharField(
        max_length=16, choices=[(s.value, s.name.title()) for s in engine.Source]
    )
    frequency = models.CharField(
        max_length=12,
        choices=[(f.value, f.value.title()) for f in engine.Frequency],
        default=engine.Frequency.MONTHLY.value,
    )
    polarity = models.CharField(
        max_length=8,
        choices=[
            (Polarity.HIGHER_IS_BETTER.value, "Higher is better"),
            (Polarity.LOWER_IS_BETTER.value, "Lower is better"),
            (Polarity.NEITHER.value, "Neither"),
        ],
    )
    gap = models.CharField(max_length=24, choices=[(g.value, g.label) for g in engine.Gap])
    target = models.FloatField(null=True, blank=True)
    standard = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    dataset = models.CharField(max_length=20, blank=True, help_text="national file layout key")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def as_definition(self) -> engine.MeasureDefinition:
        return engine.MeasureDefinition(
            code=self.code,
            name=self.name,
            definition=self.definition,
            unit=self.unit,
            source=engine.Source(self.source),
            frequency=engine.Frequency(self.frequency),
            polarity=Polarity(self.polarity),
            gap=engine.Gap(self.gap),
            target=self.target,
            standard=self.standard,
            owner=self.owner,
            workstream=self.workstream.slug if self.workstream_id and self.workstream else "",
            dataset=self.dataset,
        )


class MeasureValue(Versioned):
    """The plan (trajectory) and the actual of a measure for one month."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="first day of the month")
    planned = models.FloatField(null=True, blank=True)
    actual = models.FloatField(null=True, blank=True)
    actual_source = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="system_value_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period:%b %Y}"


class NationalImport(models.Model):
    """One national file loaded (or replaced)."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=255)
    layout = models.CharField(max_length=20)
    period = models.DateField()
    rows = models.PositiveIntegerField()
    values = models.PositiveIntegerField()
    replaced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.period:%b %Y})"


class ProviderValue(models.Model):
    """A measure's numerator and denominator for one organisation and month, as read."""

    source = models.ForeignKey(
        NationalImport, on_delete=models.CASCADE, related_name="provider_values"
    )
    layout = models.CharField(max_length=20)
    measure_code = models.CharField(max_length=60)
    period = models.DateField()
    org_code = models.CharField(max_length=12)
    numerator = models.FloatField()
    denominator = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["layout", "period"], name="system_pv_layout_period")]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_code", "period", "org_code"], name="system_provider_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_code} {self.org_code} {self.period:%b %Y}"


class Benefit(Versioned):
    """A benefit a workstream promised, measured by a measure of the catalogue."""

    slug = models.SlugField(max_length=80, unique=True)
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="benefits")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    baseline = models.FloatField()
    baseline_month = models.DateField(null=True, blank=True)
    target = models.FloatField()
    target_month = models.DateField(null=True, blank=True)
    cumulative = models.BooleanField(
        default=False, help_text="Realised to date is the sum of the actuals (e.g. savings)"
    )
    owner = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["workstream__order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An organisation of the loaded ODS list (stpkit.system.ods): the codes national files
    may name, when they were open, and whether they roll up to the partnership."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)  # trust, trust_site, commissioner, commissioner_site
    national_grouping = models.CharField(max_length=12, blank=True)
    health_geography = models.CharField(max_length=12, blank=True)
    parent_code = models.CharField(max_length=12, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    partnership = models.BooleanField(default=False)
    source = models.ForeignKey(
        "OrganisationLoad", on_delete=models.CASCADE, related_name="organisations"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganisationLoad(models.Model):
    """One ODS file loaded: it replaced every organisation of its kind."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=12, help_text="ODS file: etr, ets, eccg, eccgsite")
    organisations_read = models.PositiveIntegerField()
    partnership_rule = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind})"
