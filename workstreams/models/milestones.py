"""Milestones on an action: the steps a chair records, each with a due date and
whether (and when) it was done. An action's % complete derives from them unless
it is set by hand (`workstreams.percent_complete`)."""

import datetime as dt

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from workstreams.models.workplans import Action


class Milestone(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    due_on = models.DateField("due date", null=True, blank=True)
    done_on = models.DateField(
        "done on",
        null=True,
        blank=True,
        help_text="The date it was done; empty while it is still to do.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "position", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "title"], name="milestone_unique_title"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="milestone_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue_on(self, today: dt.date) -> bool:
        """Not done and its due date has passed."""
        return not self.done and self.due_on is not None and self.due_on < today
