"""What the productivity area stores: benchmarks, working groups, schemes and the bridge.

Computation lives in the `stpkit.productivity` engine; these models only keep what people
import or enter. Benchmarks are one current set (an import replaces it whole, in one
transaction); working groups and schemes are edited and audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stpkit.web.core.audit import Versioned


class MetricDefinition(models.Model):
    """A benchmark metric and the rates that turn its gap into activity, cash and staff."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=80)
    direction = models.CharField(
        max_length=6, choices=[("lower", "Lower is better"), ("higher", "Higher is better")]
    )
    activity_unit = models.CharField(max_length=60)
    cash_per_activity = models.FloatField(help_text="GBP per unit of activity")
    staff_per_activity = models.FloatField(help_text="WTE per unit of activity")
    overlap_group = models.CharField(max_length=60, blank=True)
    working_group = models.CharField(
        max_length=60, blank=True, help_text="slug of the owning group"
    )
    target = models.FloatField(
        null=True, blank=True, help_text="A set level to benchmark against, in the metric's unit"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BenchmarkImport(models.Model):
    """One successful import of provider metrics (and peer groups)."""

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metrics_file = models.CharField(max_length=200)
    peers_file = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField()
    providers = models.PositiveIntegerField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.metrics_file} ({self.rows} rows)"


class PeerGroupMember(models.Model):
    provider = models.CharField(max_length=200, unique=True)
    peer_group = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering = ["peer_group", "provider"]

    def __str__(self) -> str:
        return f"{self.provider} in {self.peer_group}"


class ProviderMetric(models.Model):
    provider = models.CharField(max_length=200)
    metric = models.CharField(max_length=60)
    period = models.CharField(max_length=20)
    value = models.FloatField()
    denominator = models.FloatField()

    class Meta:
        ordering = ["metric", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "metric"], name="productivity_one_value")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.metric}"


class WorkingGroup(Versioned):
    """A productivity working group (temporary staffing, pathology, ...)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=20, choices=[("non-clinical", "Non-clinical"), ("clinical", "Clinical")]
    )
    scope = models.TextField(blank=True)
    lead = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=40, default="active")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="focus_areas"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A working group's savings target for a plan year; no amount means to be confirmed."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="targets"
    )
    plan_year = models.CharField(max_length=7)
    amount = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "plan_year"], name="productivity_one_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.working_group} {self.plan_year}"


class Scheme(Versioned):
    """A savings scheme of a working group, with its confidence (RAG)."""

    CONFIDENCE = [("G", "Green"), ("A", "Amber"), ("R", "Red")]

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="schemes"
    )
    plan_year = models.CharField(max_length=7)
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    confidence = models.CharField(max_length=1, choices=CONFIDENCE)

    class Meta:
        ordering = ["working_group__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "plan_year", "slug"], name="productivity_scheme_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchemeMonth(models.Model):
    """Planned and (once known) actual savings of a scheme in one month."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="first day of the month")
    planned = models.DecimalField(max_digits=14, decimal_places=2)
    actual = models.DecimalField(null=True, blank=True, max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="productivity_scheme_month")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.month:%Y-%m}"


class BridgeStep(models.Model):
    """One step of the financial bridge (GBP millions); no amount means TBC or not stated."""

    order = models.PositiveIntegerField(unique=True)
    label = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=10, choices=[("change", "Change"), ("subtotal", "Subtotal"), ("end", "End")]
    )
    amount = models.DecimalField(null=True, blank=True, max_digits=10, decimal_places=1)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label
