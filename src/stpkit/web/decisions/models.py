"""Service-change programmes carried through the staged option appraisal.

The rules (stage order, sign-off conditions, weights, scoring, timeline) live in the
framework-free engine `stpkit.decisions`; these models record what people did, and every
edit goes through `stpkit.web.core.audit.audited_save` so each value, weight, score and
sign-off has its who, when, before and after.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stpkit.decisions import GOVERNANCE_LABELS, PROCESSES, Process, process
from stpkit.web.core.audit import Versioned


class Programme(Versioned):
    """A service change, e.g. "Stroke services across Kent and Medway"."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    process_key = models.CharField(
        max_length=20, choices=[(p.key, p.title) for p in PROCESSES.values()]
    )
    summary = models.TextField(blank=True)
    weights_locked = models.BooleanField(default=False)
    weights_locked_at = models.DateTimeField(null=True, blank=True)
    weights_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_spread = models.FloatField(
        default=3.0, help_text="Scores whose spread (highest - lowest) exceeds this are moderated"
    )
    scale_max = models.FloatField(default=10.0, help_text="Panel scores run from 0 to this")
    preferred_option = models.ForeignKey(
        "Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pcbc_generated_at = models.DateTimeField(null=True, blank=True)
    assurance_approved_on = models.DateField(null=True, blank=True)
    consultation_starts = models.DateField(null=True, blank=True)
    consultation_ends = models.DateField(null=True, blank=True)
    consultation_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text="The consultation analysis this programme's responses are in (name or URL)",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def process(self) -> Process:
        return process(self.process_key)

    @property
    def uses_medium_list(self) -> bool:
        return self.process_key == "east_kent"


GOVERNANCE_CHOICES = [(r.value, label) for r, label in GOVERNANCE_LABELS.items()]


class RoleHolder(models.Model):
    """Who holds a named governance role (SRO, JC chair ...) on a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="role_holders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=32, choices=GOVERNANCE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "user", "role"], name="unique_role_holder")
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} on {self.programme}"


class Stage(Versioned):
    """One stage of a programme's process; signed off by a named role, reopened with a reason."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, blank=True, help_text="Who leads the work")
    signoff_role = models.CharField(max_length=32, choices=GOVERNANCE_CHOICES)
    signed_off = models.BooleanField(default=False)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_as = models.CharField(max_length=32, blank=True, choices=GOVERNANCE_CHOICES)
    signed_off_on = models.DateField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_stage_key"),
            models.UniqueConstraint(fields=["programme", "order"], name="unique_stage_order"),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title}"


class Evidence(Versioned):
    """Evidence for the case for change and the appraisal: a document or a figure."""

    KINDS = [
        ("document", "Document"),
        ("figure", "Figure from the data or a model"),
        ("service_model", "Service delivery model"),
    ]
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=KINDS)
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="URL or path of the document")
    value = models.CharField(max_length=100, blank=True, help_text="The figure, where one")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title


class Option(Versioned):
    """One option, entered by hand or generated by a model, with Green Book dimensions."""

    LISTS = [
        ("long", "Long list"),
        ("medium", "Medium list"),
        ("short", "Short list"),
        ("preferred", "Preferred option"),
    ]
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=1000)
    description = models.TextField(blank=True)
    origin = models.CharField(
        max_length=20, default="hand", choices=[("hand", "Entered by hand"), ("model", "Model")]
    )
    members = models.CharField(
        max_length=1000, blank=True, help_text="Sites, separated by semicolons"
    )
    metrics = models.JSONField(default=dict, blank=True, help_text="Model figures by metric")
    # Green Book options framework dimensions
    scope = models.TextField(blank=True)
    service_solution = models.TextField(blank=True)
    service_delivery = models.TextField(blank=True)
    implementation = models.TextField(blank=True)
    funding = models.TextField(blank=True)
    business_as_usual = models.BooleanField(default=False)
    do_minimum = models.BooleanField(default=False)
    reached = models.CharField(max_length=10, choices=LISTS, default="long")

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_option_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    @property
    def member_list(self) -> list[str]:
        return [m.strip() for m in self.members.split(";") if m.strip()]


class HurdleCriterion(Versioned):
    """A pass/fail rule: computed from a model metric with bounds, or judged by the panel."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="hurdle_criteria"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    metric = models.CharField(max_length=80, blank=True, help_text="Computed from this metric")
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def computed(self) -> bool:
        return bool(self.metric)


class HurdleResult(Versioned):
    """One option against one hurdle: passed or failed, with the reason kept."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="hurdle_results")
    criterion = models.ForeignKey(HurdleCriterion, on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField()
    reason = models.TextField(blank=True)
    shortfall = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "criterion"], name="unique_hurdle_result")
        ]

    def __str__(self) -> str:
        return f"{self.option} / {self.criterion}: {'pass' if self.passed else 'fail'}"


class EvaluationCriterion(Versioned):
    """An evaluation criterion in a group, with its swing weight (percent of the whole)."""

    GROUPS = [
        ("quality", "Quality"),
        ("access", "Access"),
        ("workforce", "Workforce"),
        ("deliverability", "Deliverability"),
        ("affordability", "Affordability"),
        ("strategic_fit", "Strategic fit"),
    ]
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="evaluation_criteria"
    )
    group = models.CharField(max_length=20, choices=GROUPS)
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.FloatField(default=0.0)

    class Meta:
        ordering = ["programme", "group", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_criterion_key")
        ]

    def __str__(self) -> str:
        return self.name


class ScoringRound(Versioned):
    """A panel scoring round; scores stay hidden from other scorers until it closes."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(default=1)
    is_open = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    scorers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: scoring round {self.number}"


class PanelScore(Versioned):
    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rationale = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "scorer", "option", "criterion"], name="one_score_per_scorer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorer} scored {self.option.code} on {self.criterion.key}: {self.score:g}"


class Moderation(Versioned):
    """The panel's agreed score where scorers disagreed, and why."""

    round = models.ForeignKey(ScoringRound, on_delete=models.CASCADE, related_name="moderations")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "option", "criterion"], name="one_moderation_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"Moderated {self.option.code} on {self.criterion.key}: {self.score:g}"


class Scenario(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="scenarios")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["programme", "key"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_scenario_key")
        ]

    def __str__(self) -> str:
        return self.name


class TimelineTask(Versioned):
    """A dated step on the timeline to consultation; `forecast_start` records a slip."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=300)
    lane = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    finish = models.DateField()
    forecast_start = models.DateField(null=True, blank=True)
    depends_on = models.CharField(
        max_length=300, blank=True, help_text="Task keys, comma separated; 'key+14' adds a lag"
    )
    scenarios = models.ManyToManyField(Scenario, blank=True, help_text="None: every scenario")

    class Meta:
        ordering = ["programme", "start", "key"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="unique_task_key")]

    def __str__(self) -> str:
        return self.title


class Decision(Versioned):
    """The decision record of the joint committee: option chosen and conditions."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="decision")
    decided_on = models.DateField()
    body = models.CharField(max_length=200, default="CCG Joint Committee")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    conditions = models.TextField(blank=True)
    minutes_reference = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"Decision on {self.programme}"


class Removal(models.Model):
    """A record removed from a programme (evidence, a criterion, a hurdle result ...).

    The row is gone but its audit records are not: the programme's audit trail finds them
    through this index, since they can no longer be found by the programme's current rows.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="removals")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "content_type", "object_id"], name="unique_removal"
            )
        ]

    def __str__(self) -> str:
        return f"Removed {self.content_type.model} {self.object_id} from {self.programme}"
