"""In-app notifications: something was assigned to a person, or falls due."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One message to one person, read or unread.

    `key` names what the message is about (e.g. a reminder for one task and due date);
    a person is never sent two notifications with the same non-blank key, which is what
    makes reminders idempotent.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    link = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=200, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_key_once",
            )
        ]

    def __str__(self) -> str:
        return f"To {self.recipient}: {self.text[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def created_label(self) -> str:
        """When it was sent, in words ("6 December 2026 at 09:15"), in the app's time zone."""
        at = timezone.localtime(self.created)
        return f"{at.day} {at:%B %Y} at {at:%H:%M}"
