"""Forms for an action's milestones and its % complete set by hand."""

from __future__ import annotations

from django import forms

from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.forms.common import date_field
from workstreams.models import Milestone


class MilestoneForm(GovukForm):
    """Add or edit a milestone: its title, due date and (editing) done date."""

    title = forms.CharField(
        label="Milestone",
        max_length=200,
        help_text="A step on the way, for example “Survey of 200 homes finished”.",
        error_messages={
            "required": "Enter the milestone",
            "max_length": "The milestone must be 200 characters or fewer",
        },
    )
    due_on = date_field("Due date (optional)", "For example, 30 9 2026")
    done_on = date_field(
        "Date done (optional)",
        "Leave empty while it is still to do. For example, 14 2 2026",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["done_on"]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter the milestone")
        return title

    @staticmethod
    def initial_for(milestone: Milestone) -> dict:
        return {
            "title": milestone.title,
            "due_on": milestone.due_on,
            "done_on": milestone.done_on,
        }


class MilestoneCreateForm(OnceFormMixin, MilestoneForm):
    """Adding: sent twice, one milestone (ADR 28)."""


class PercentCompleteForm(GovukForm):
    percent_complete = forms.IntegerField(
        label="% complete",
        required=False,
        min_value=0,
        max_value=100,
        help_text="A whole number from 0 to 100. Leave it empty to work it out "
        "from the milestones done.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
        ),
        error_messages={
            "invalid": "Enter the percentage as a whole number, like 40",
            "min_value": "The percentage must be 0 or more",
            "max_value": "The percentage must be 100 or less",
        },
    )
