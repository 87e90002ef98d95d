"""The form for a workplan's status (signing off a plan whose year has ended
asks for confirmation)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from marmot.site.forms import GovukForm
from workstreams.forms.common import date_field
from workstreams.models import Workplan

WORKPLAN_STATUS_HINTS = {
    Workplan.Status.DRAFT: "Back to draft: the chair's working copy",
    Workplan.Status.CONSULTATION: "Out for consultation: partners can read it "
    "and comment",
    Workplan.Status.SIGNED_OFF: "Signed off: published to everyone",
    Workplan.Status.CLOSED: "Closed: the year is over",
}


def year_ended(workplan, today=None) -> bool:
    """The workplan's year is over: signing it off now asks for confirmation."""
    return workplan.ends_on < (today or timezone.localdate())


def confirm_label(workplan) -> str:
    return (
        f"Yes, sign off the {workplan.year_label} workplan although its year "
        f"ended on {date_format(workplan.ends_on, 'j F Y')}"
    )


def confirm_message(workplan) -> str:
    return (
        f"The {workplan.year_label} workplan's year ended on "
        f"{date_format(workplan.ends_on, 'j F Y')}: tick the box to confirm you "
        "want to sign it off, or choose another status"
    )


class AnyWorkplanStatusField(forms.ChoiceField):
    """Offers the moves allowed now, but accepts any status so the service can
    say why a move (say, from a page left open) is not allowed."""

    def valid_value(self, value):
        return value in Workplan.Status.values


class WorkplanStatusForm(GovukForm):
    status = AnyWorkplanStatusField(
        label="Move the workplan to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the status to move the workplan to",
            "invalid_choice": "Select a status from the list",
        },
    )
    signed_off_on = date_field(
        "Date signed off", "Only when signing off. For example, 12 10 2025"
    )
    signed_off_at = forms.CharField(
        label="Signed off at",
        max_length=200,
        required=False,
        help_text="Only when signing off: the meeting or board that agreed it.",
        error_messages={"max_length": "This must be 200 characters or fewer"},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, moves, workplan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, WORKPLAN_STATUS_HINTS[status]) for status in moves
        ]
        self.year_ended = (
            workplan is not None
            and Workplan.Status.SIGNED_OFF in moves
            and year_ended(workplan)
        )
        if self.year_ended:
            self.fields["confirm_year_ended"] = forms.BooleanField(
                label=confirm_label(workplan), required=False
            )
            self.confirm_message = confirm_message(workplan)

    def clean(self):
        cleaned = super().clean()
        signing_off = cleaned.get("status") == Workplan.Status.SIGNED_OFF
        if signing_off and self.year_ended and not cleaned.get("confirm_year_ended"):
            self.add_error("confirm_year_ended", self.confirm_message)
        if cleaned.get("status") == Workplan.Status.SIGNED_OFF:
            if "signed_off_on" in cleaned and cleaned["signed_off_on"] is None:
                self.add_error(
                    "signed_off_on", "Enter the date the workplan was signed off"
                )
            if "signed_off_at" in cleaned and not cleaned["signed_off_at"]:
                self.add_error(
                    "signed_off_at", "Enter the meeting or board that signed it off"
                )
        return cleaned
