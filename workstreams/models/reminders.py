"""A record of each reminder email sent, so `send_reminders` is idempotent:
run twice on one day (or twice in one week, for digests), it sends once."""

from django.conf import settings
from django.db import models


class ReminderSent(models.Model):
    class Kind(models.TextChoices):
        LEAD_STALE = "lead_stale", "Overdue or stale actions (to the lead)"
        CHAIR_DIGEST = "chair_digest", "Weekly digest (to the chair)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period_key = models.CharField(
        max_length=20, help_text='The day ("2026-11-23") or week ("2026-W48").'
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    action_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "reminder sent"
        verbose_name_plural = "reminders sent"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "period_key"],
                name="reminder_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.period_key})"
