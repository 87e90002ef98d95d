"""Comments on a workplan while it is in consultation with partners."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from marmot.models import TimeStampedModel
from workstreams.models.programme import Organisation
from workstreams.models.workplans import Workplan


class WorkplanComment(TimeStampedModel):
    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="workplan_comments",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workplan_comments",
        help_text="The author's organisation when they commented.",
    )
    body = models.TextField(max_length=5000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.workplan}"
