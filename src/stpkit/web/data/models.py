"""Models of the data area: API tokens for the partnership's BI tools.

Purposes and the audit log live in the engine's governance files (`stpkit.kid.governance`)
so the CLI and notebooks share them; only the token, which belongs to a web user, is here.
A token is stored as its SHA-256 hash and is bound to one purpose: a BI tool reads only
what that purpose allows, and every request is logged under it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kid_tokens"
    )
    purpose = models.CharField(max_length=63)
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…, {self.purpose})"

    @classmethod
    def issue(cls, user: object, purpose: str, label: str) -> tuple[ApiToken, str]:
        """Create a token; the secret is returned once and never stored."""
        secret = "kid_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            purpose=purpose,
            label=label,
            token_hash=hash_token(secret),
            prefix=secret[:8],
        )
        return token, secret
