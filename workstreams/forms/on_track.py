"""The form that overrides a workstream's on-track judgement (ADR 19)."""

from __future__ import annotations

from django import forms

from marmot.site.forms import GovukForm
from workstreams.on_track import Judgement


class OnTrackOverrideForm(GovukForm):
    """Override the rule's on-track judgement (ADR 19): the judgement the
    oversight group should read instead, and why."""

    judgement = forms.ChoiceField(
        label="Judgement",
        choices=Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the judgement the oversight group should read",
            "invalid_choice": "Select a judgement from the list",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown next to the judgement, with your name and today's date.",
        error_messages={
            "required": "Give the reason for overriding the rule",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )
