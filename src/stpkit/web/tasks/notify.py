"""Sending a notification: a row in the app and, where the person has an e-mail address,
an e-mail through Django's mail settings (`EMAIL_BACKEND`; see docs/tasks.md)."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from stpkit.web.tasks.models import Notification

log = logging.getLogger(__name__)


def site_url() -> str:
    """The address people reach the app at, for links in e-mails (STPKIT_SITE_URL)."""
    value = getattr(settings, "STPKIT_SITE_URL", None) or os.environ.get(
        "STPKIT_SITE_URL", "http://127.0.0.1:8000"
    )
    return str(value).rstrip("/")


def notify(
    *, recipient: Any, text: str, link: str = "", key: str = "", email: bool = True
) -> Notification | None:
    """Notify `recipient`; None (and nothing sent) if they already had `key`."""
    if not recipient.is_active:
        return None
    if key and Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, text=text[:500], link=link, key=key
            )
    except IntegrityError:  # the same key sent by a concurrent process
        return None
    if email and recipient.email:
        note.emailed = send_email(recipient.email, text, link)
        if note.emailed:
            note.save(update_fields=["emailed"])
    return note


def send_email(address: str, text: str, link: str) -> bool:
    """Send one notification e-mail; a mail server failure is logged, never raised (the
    notification is still in the app)."""
    body = text + (f"\n\nOpen it: {site_url()}{link}" if link else "")
    body += f"\n\n{settings.PARTNERSHIP_NAME}"
    subject = text if len(text) <= 90 else text[:87] + "..."
    try:
        send_mail(subject, body, None, [address])
    except (OSError, ConnectionError) as exc:  # smtplib errors are OSErrors
        log.warning("Could not e-mail %s: %s", address, exc)
        return False
    return True


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
