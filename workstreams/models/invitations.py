"""Invitations: the only way a partner gets an account (no self-registration).

The emailed link carries a random token; only its SHA-256 is stored, so a
database leak cannot be turned into working links. A link works once, until
it expires or is withdrawn.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from marmot.models import TimeStampedModel
from workstreams.models.programme import Organisation


class Invitation(TimeStampedModel):
    email = models.EmailField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        help_text="The account made when the invitation was accepted.",
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True)
                | models.Q(user__isnull=False),
                name="invitation_accepted_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"
