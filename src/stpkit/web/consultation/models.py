"""Consultations, their responses, themes and analysts' corrections.

The engine (`stpkit.consultation`) does the counting and theming; these models keep what
was imported, what the analysts decided (theme names, merges, splits, corrections) and who
decided it, so re-running the assignment never loses a person's judgement.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from stpkit.consultation.framework import FrameworkTheme
from stpkit.consultation.survey import Survey, survey_from_dict
from stpkit.web.core.audit import Versioned


class Consultation(Versioned):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    programme_slug = models.CharField(
        max_length=80,
        blank=True,
        help_text="The service change programme (Decisions) this consultation informs",
    )
    description = models.TextField(blank=True)
    opens = models.DateField(null=True, blank=True)
    closes = models.DateField(null=True, blank=True)
    survey = models.JSONField(help_text="Questions and columns of the response export")
    data_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_survey(self) -> Survey:
        return survey_from_dict(self.survey)


class Respondent(models.Model):
    """One validated response row (the closed answers and who answered)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="respondents"
    )
    response_id = models.CharField(max_length=64)
    respondent_type = models.CharField(max_length=40)
    demographics = models.JSONField(default=dict)
    postcode_district = models.CharField(max_length=8, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    area = models.CharField(max_length=80, blank=True)
    answers = models.JSONField(default=dict)
    known = models.JSONField(
        default=dict, blank=True, help_text="Known theme and stance (synthetic data only)"
    )

    class Meta:
        ordering = ["response_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "response_id"], name="consultation_unique_response"
            )
        ]

    def __str__(self) -> str:
        return self.response_id


class TextAnswer(models.Model):
    """A respondent's answer to one open question, with its current theme and stance."""

    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="text_answers"
    )
    question_code = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    theme_key = models.CharField(max_length=40, blank=True)
    confidence = models.FloatField(default=0.0)
    stance = models.CharField(max_length=10, blank=True)
    duplicate_group = models.PositiveIntegerField(null=True, blank=True)
    campaign = models.BooleanField(default=False)
    margin = models.FloatField(
        null=True,
        blank=True,
        help_text="How far the assignment is from the model's threshold (low = review first)",
    )

    class Meta:
        ordering = ["respondent__response_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question_code"], name="consultation_unique_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent.response_id} {self.question_code}"


class Theme(Versioned):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    question_code = models.CharField(max_length=64)
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    keywords = models.JSONField(default=list, blank=True)
    prototypes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    # the analysts' framework: a question whose themes come from one is assigned by the
    # several-themes engine (`stpkit.consultation.multitheme`) from names and descriptions
    framework = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    position = models.CharField(
        max_length=10, blank=True, help_text="support, oppose or blank (neutral)"
    )

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question_code", "key"], name="consultation_unique_theme"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def as_framework(self) -> FrameworkTheme:
        return FrameworkTheme(
            self.key, self.label, self.description, tuple(self.examples), self.position
        )

    def as_engine(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "keywords": self.keywords,
            "prototypes": self.prototypes,
        }


class AnswerTheme(models.Model):
    """One of an answer's themes (an answer can carry several), with the sentence that
    carries it. Theme counts, tables, reports and downloads count these, so a response
    with two themes counts once in each."""

    answer = models.ForeignKey(TextAnswer, on_delete=models.CASCADE, related_name="themes")
    theme_key = models.CharField(max_length=40)
    confidence = models.FloatField(default=0.0)
    sentence = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "theme_key"], name="consultation_answer_theme"
            )
        ]
        indexes = [models.Index(fields=["theme_key"])]

    def __str__(self) -> str:
        return f"{self.answer} {self.theme_key}"


class ReviewLabel(Versioned):
    """An analyst's reviewed themes and stance for one response (framework questions).

    Re-running the assignment learns from these. Every fifth review (`held_back`) is kept
    out of the learning so the page can show how well the model agrees with the analyst on
    responses it did not learn from.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="review_labels"
    )
    question_code = models.CharField(max_length=64)
    response_id = models.CharField(max_length=64)
    theme_keys = models.JSONField(default=list, blank=True)
    stance = models.CharField(max_length=10, blank=True)
    held_back = models.BooleanField(default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question_code", "response_id"],
                name="consultation_unique_review",
            )
        ]

    def __str__(self) -> str:
        return f"review of {self.response_id}"


class ThemeProposal(models.Model):
    """A theme that discovery proposes for a question's framework; the analyst accepts
    (it joins the framework) or dismisses it."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="theme_proposals"
    )
    question_code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    examples = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AssignmentRun(models.Model):
    """One framework assignment: how many reviews it learned from and how well it agrees
    with the analyst on the held-back reviewed responses, without and with learning."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="assignment_runs"
    )
    question_code = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)
    learned_from = models.PositiveIntegerField(default=0)
    held_back = models.PositiveIntegerField(default=0)
    themes_before = models.FloatField(null=True, blank=True)
    themes_after = models.FloatField(null=True, blank=True)
    stance_before = models.FloatField(null=True, blank=True)
    stance_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.question_code} run {self.at:%d %b %Y %H:%M}"


class Correction(Versioned):
    """An analyst's decision that a response belongs to a theme; kept across re-runs."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="corrections"
    )
    question_code = models.CharField(max_length=64)
    response_id = models.CharField(max_length=64)
    theme_key = models.CharField(max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question_code", "response_id"],
                name="consultation_unique_correction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} -> {self.theme_key}"


class ImportRun(models.Model):
    """One attempt to load a response file: what was loaded and which rows were refused."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True, help_text="Why the whole file was refused, if it was")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows_loaded}/{self.rows_read})"


class QuestionQuotes(models.Model):
    """Each theme's quotes for one question, kept with a digest of who was in which theme
    when they were chosen: choosing them needs the question's whole text model (seconds
    for thousands of answers), so it is done once, when the analysis runs, and again only
    when the memberships change, never on every view of the themes page."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="question_quotes"
    )
    question_code = models.CharField(max_length=64)
    members_digest = models.CharField(max_length=64)
    quotes = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question_code"], name="consultation_unique_quotes"
            )
        ]
