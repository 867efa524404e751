"""Monthly reporting: each workstream lead submits a delivery-confidence update per period,
which the programme office accepts or sends back. (Budgets and board meetings also live in
this app.)
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from stpkit.programme import RAG_CHOICES, Rag, financial_year_label
from stpkit.web.core.audit import Versioned


class ReportingPeriod(models.Model):
    """A calendar month of programme reporting, identified by its first day."""

    month = models.DateField(unique=True, help_text="First day of the month")

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month.strftime("%B %Y")


class WorkstreamUpdate(Versioned):
    """A workstream's monthly update: delivery confidence and narrative."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Sent back"
        ACCEPTED = "accepted", "Accepted"

    workstream = models.ForeignKey(
        "programme.Workstream", on_delete=models.CASCADE, related_name="updates"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="updates")
    confidence = models.CharField(max_length=12, choices=RAG_CHOICES)
    narrative = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    key_risks = models.TextField(blank=True)
    board_asks = models.TextField(
        blank=True, help_text="What the workstream needs the board to decide or do, one per line"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period__month", "workstream__order"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "period"], name="one_update_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.workstream} – {self.period}"

    @property
    def rag(self) -> Rag:
        return Rag(self.confidence)


# --- Resourcing and budgets -------------------------------------------------------------


class BudgetLine(Versioned):
    """One line of a workstream's annual plan (e.g. 2018/19 programme staff)."""

    workstream = models.ForeignKey(
        "programme.Workstream", on_delete=models.CASCADE, related_name="budget_lines"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="Starting year of the financial year: 2018 means 2018/19"
    )
    name = models.CharField(max_length=120)
    planned = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    approved_at = models.ForeignKey(
        "BoardMeeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["workstream__order", "financial_year", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "financial_year", "name"], name="one_line_name_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0), name="budget_line_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream} {financial_year_label(self.financial_year)}: {self.name}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


class BudgetActual(Versioned):
    """Spend recorded against a budget line for one month."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="actuals")
    month = models.DateField(help_text="First day of the month")
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="one_actual_per_line_month")
        ]

    def __str__(self) -> str:
        return f"{self.line.name}, {self.month:%B %Y}"


# --- Board meetings ---------------------------------------------------------------------


class BoardMeeting(Versioned):
    """A Programme Board meeting; its reporting period supplies the workstream progress."""

    date = models.DateField(unique=True)
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="The reporting period whose updates the board reviewed",
    )
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Programme Board, {self.date.day} {self.date:%B %Y}"


class AgendaItem(Versioned):
    class Kind(models.TextChoices):
        STANDING = "standing", "Standing item"
        DEEP_DIVE = "deep_dive", "Deep dive"
        DECISION = "decision", "For decision"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STANDING)
    title = models.CharField(max_length=200)
    workstream = models.ForeignKey(
        "programme.Workstream", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    presenter = models.CharField(max_length=120, blank=True)
    summary = models.TextField(
        blank=True, help_text="What was discussed, as the public update should report it"
    )

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


def paper_path(instance: Paper, filename: str) -> str:
    return f"board/papers/{instance.meeting.date:%Y-%m-%d}/{filename}"


class Paper(models.Model):
    """A paper for a meeting, uploaded to MEDIA_ROOT."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="papers")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_path, max_length=300)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(Versioned):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(Versioned):
    """An action from a meeting; open actions carry forward to every later meeting."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=120)
    due = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class BoardUpdateDraft(Versioned):
    """The public update for a meeting: generated, edited, then published."""

    meeting = models.OneToOneField(
        BoardMeeting, on_delete=models.CASCADE, related_name="public_update"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(help_text="## for headings, - for bullets, blank lines between")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Board update: {self.meeting}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
