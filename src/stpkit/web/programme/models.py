"""The transformation programme: workstreams, their objectives, plans (milestones and the
dependencies between them) and the risk and issue register.

Everything people edit is `Versioned`, saved through `core.audit.audited_save`, so each
change is recorded and the second of two concurrent edits is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stpkit.programme import (
    GAPS,
    MILESTONE_STATUSES,
    RISK_KINDS,
    RISK_STATUSES,
    WORKSTREAM_STATUSES,
    RiskBands,
)
from stpkit.web.core.audit import Versioned


class Workstream(Versioned):
    """One of the programme's workstreams (seed papers: ten of them)."""

    class Kind(models.TextChoices):
        TRANSFORMATION = "transformation", "Care transformation"
        ENABLING = "enabling", "Enabling"
        PRODUCTIVITY = "productivity", "Productivity"
        SYSTEM_LEADERSHIP = "system_leadership", "System leadership"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_workstreams",
        help_text="The workstream lead: the one login (role workstream lead) who edits it",
    )
    senior_responsible_officer = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=list(WORKSTREAM_STATUSES.items()), default="active"
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Objective(Versioned):
    """An aim of a workstream and the Five Year Forward View gap it closes."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="objectives")
    text = models.CharField(max_length=400)
    gap = models.CharField(max_length=24, choices=list(GAPS.items()))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["workstream__order", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Milestone(Versioned):
    """A dated deliverable in a workstream's plan: baseline (as agreed) and forecast dates."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    baseline_date = models.DateField()
    forecast_date = models.DateField()
    owner = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=list(MILESTONE_STATUSES.items()), default="not_started"
    )

    class Meta:
        ordering = ["forecast_date", "id"]
        indexes = [
            models.Index(fields=["workstream", "forecast_date"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "title"], name="milestone_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slip_days(self) -> int:
        return (self.forecast_date - self.baseline_date).days

    @property
    def is_done(self) -> bool:
        return self.status in ("complete", "cancelled")


class Dependency(models.Model):
    """`successor` cannot be delivered before `predecessor` (often across workstreams)."""

    predecessor = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="dependents")
    successor = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="dependencies")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="dependency_once"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="dependency_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.successor} waits for {self.predecessor}"


class RiskPolicy(Versioned):
    """The partnership's risk bands and escalation threshold (one row)."""

    low_max = models.PositiveSmallIntegerField(default=3)
    moderate_max = models.PositiveSmallIntegerField(default=6)
    high_max = models.PositiveSmallIntegerField(default=12)
    escalation_threshold = models.PositiveSmallIntegerField(
        default=15, help_text="Open risks scoring at least this go to the Programme Board"
    )

    def __str__(self) -> str:
        return "Risk bands and escalation"

    @property
    def bands(self) -> RiskBands:
        return RiskBands(self.low_max, self.moderate_max, self.high_max)

    @classmethod
    def current(cls) -> RiskPolicy:
        policy = cls.objects.order_by("id").first()
        return policy if policy is not None else cls.objects.create()


LEVEL_CHOICES = [(i, str(i)) for i in range(1, 6)]


class Risk(Versioned):
    """A risk (may happen) or issue (has happened) for a workstream or the whole programme."""

    workstream = models.ForeignKey(
        Workstream,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="risks",
        help_text="Blank for a programme-wide risk",
    )
    kind = models.CharField(max_length=8, choices=list(RISK_KINDS.items()), default="risk")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    likelihood = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    consequence = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    score = models.PositiveSmallIntegerField(editable=False, default=1)
    target_likelihood = models.PositiveSmallIntegerField(
        choices=LEVEL_CHOICES, null=True, blank=True
    )
    target_consequence = models.PositiveSmallIntegerField(
        choices=LEVEL_CHOICES, null=True, blank=True
    )
    mitigations = models.TextField(blank=True)
    review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=list(RISK_STATUSES.items()), default="open")

    class Meta:
        ordering = ["-score", "title"]
        indexes = [models.Index(fields=["status", "score"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5)
                & models.Q(consequence__gte=1, consequence__lte=5),
                name="risk_levels_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.score = self.likelihood * self.consequence
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None or self.target_consequence is None:
            return None
        return self.target_likelihood * self.target_consequence


class RiskScore(models.Model):
    """A risk's score whenever it was set or changed: the history the heat map moves through."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="scores")
    likelihood = models.PositiveSmallIntegerField()
    consequence = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
