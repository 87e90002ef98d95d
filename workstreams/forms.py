"""Forms for the chairs' pages of the site (GOV.UK markup, GOV.UK error messages).

The forms only read and check what was typed; every write goes through
`workstreams.services`, whose ValidationErrors `add_service_errors` turns into
form errors so the GOV.UK error summary lists them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from marmot.site.forms import GovukDateField, GovukDateInput, GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.models import Action, Workplan
from workstreams.on_track import Judgement

STATUS_CHOICES = Action.Status.choices
RAG_CHOICES = [
    ("green", "Green – on track"),
    ("amber", "Amber – at risk"),
    ("red", "Red – off track"),
]
CONFLICT = (
    "Someone else changed this action since you opened it. Their changes are "
    "shown below; make your changes again."
)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message on its field
    when the form has that field, otherwise at the top of the error summary."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for item in errors:
            for message in item.messages:
                form.add_error(target, message)


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes labelled by a function of the row."""

    def __init__(self, *args, label_for=str, **kwargs):
        self.label_for = label_for
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.label_for(obj)


def activity_label(item) -> str:
    if item.logic_model.status == "current":
        return item.text
    return f"{item.text} (logic model version {item.logic_model.version})"


def recommendation_label(recommendation) -> str:
    source = recommendation.source_title or recommendation.get_source_display()
    return f"{source}, recommendation {recommendation.number}: {recommendation.text}"


class DateInput(GovukDateInput):
    """The GOV.UK date input with its boxes id'd ``<id>_day``, ``_month`` and
    ``_year``: the ids the error summary links to (``error_anchor``). Django
    numbers a MultiWidget's boxes ``_0``, ``_1``, ``_2``, which no link found."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = context["widget"]["attrs"].get("id")
        for subwidget in context["widget"]["subwidgets"] if base else ():
            part = subwidget["name"].rsplit("_", 1)[-1]
            subwidget["attrs"]["id"] = f"{base}_{part}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_


def date_field(label: str, hint: str) -> GovukDateField:
    """An optional GOV.UK date (whether it is needed is the form's or the
    service's rule, with its own message)."""
    return GovukDateField(label=label, help_text=hint, required=False, widget=DateInput)


class ActionForm(OnceFormMixin, GovukForm):
    """Add or edit an action. Choices come from the page selector: the
    workplan's priorities, the organisations, the principles, the workstream's
    current logic model's activities (plus any the action already serves) and
    the recommendations."""

    title = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What will be done, and for whom.",
    )
    priority = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No priority",
        label="Workplan priority",
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    lead_organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not decided yet",
        label="Lead organisation",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    lead_person = forms.CharField(
        label="Lead contact",
        max_length=200,
        required=False,
        help_text="The person or team leading it, as it should be published.",
        error_messages={
            "max_length": "The lead contact must be 200 characters or fewer"
        },
    )
    start_date = date_field("Start date", "For example, 1 4 2025")
    due_date = date_field("Due date", "For example, 31 3 2026")
    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a status",
            "invalid_choice": "Select a status from the list",
        },
    )
    completed_on = date_field(
        "Date completed", "Only for a completed action. For example, 14 2 2026"
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "Not rated"), *RAG_CHOICES],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )
    is_next_step = forms.BooleanField(
        label="Publish as one of the workstream's next steps", required=False
    )
    principles = LabelledModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Marmot principles",
        widget=forms.CheckboxSelectMultiple,
        label_for=lambda p: f"{p.number}. {p.title}",
        error_messages={"invalid_choice": "Select principles from the list"},
    )
    activities = LabelledModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Logic model activities it delivers",
        help_text="The activities of the workstream's current logic model.",
        widget=forms.CheckboxSelectMultiple,
        label_for=activity_label,
        error_messages={"invalid_choice": "Select activities from the list"},
    )
    recommendations = LabelledModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Recommendations it answers",
        widget=forms.CheckboxSelectMultiple,
        label_for=recommendation_label,
        error_messages={"invalid_choice": "Select recommendations from the list"},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = (
        "title",
        "description",
        "priority",
        "lead_organisation",
        "lead_person",
        "start_date",
        "due_date",
        "status",
        "completed_on",
        "rag",
        "is_next_step",
        "principles",
        "activities",
        "recommendations",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error(
                "due_date", "The due date must be the same as or after the start date"
            )
        return cleaned

    def service_values(self) -> dict:
        """The cleaned values as `action_create` / `action_update` take them."""
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    @staticmethod
    def initial_for(action: Action) -> dict:
        initial = {name: getattr(action, name) for name in ActionForm.SERVICE_FIELDS}
        for name in ("principles", "activities", "recommendations"):
            initial[name] = [obj.pk for obj in getattr(action, name).all()]
        initial["priority"] = action.priority_id
        initial["lead_organisation"] = action.lead_organisation_id
        initial["row_version"] = action.row_version
        return initial

    @staticmethod
    def data_for(action: Action) -> dict:
        """The action's saved values as if just posted: a bound form showing them."""
        data = {}
        for name, value in ActionForm.initial_for(action).items():
            if name in ("start_date", "due_date", "completed_on"):
                if value:
                    data.update(
                        {
                            f"{name}_day": str(value.day),
                            f"{name}_month": str(value.month),
                            f"{name}_year": str(value.year),
                        }
                    )
            elif name == "is_next_step":
                if value:
                    data[name] = "on"
            elif isinstance(value, list):
                data[name] = [str(pk) for pk in value]
            else:
                data[name] = "" if value is None else str(value)
        return data


class ProgressUpdateForm(OnceFormMixin, GovukForm):
    """A progress note, with the status and RAG the action is left at."""

    status = forms.ChoiceField(
        label="Status now",
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the action's status now",
            "invalid_choice": "Select a status from the list",
        },
    )
    rag = forms.ChoiceField(
        label="RAG rating now",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text="If you choose none, the action keeps its rating.",
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )
    text = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What has happened since the last update, and what happens next.",
        error_messages={"required": "Enter a progress note"},
    )


WORKPLAN_STATUS_HINTS = {
    Workplan.Status.DRAFT: "Back to draft: the chair's working copy",
    Workplan.Status.CONSULTATION: "Out for consultation: partners can read it "
    "and comment",
    Workplan.Status.SIGNED_OFF: "Signed off: published to everyone",
    Workplan.Status.CLOSED: "Closed: the year is over",
}


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

    def __init__(self, *args, moves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, WORKPLAN_STATUS_HINTS[status]) for status in moves
        ]

    def clean(self):
        cleaned = super().clean()
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


class PriorityMoveForm(GovukForm):
    """One "Move up" / "Move down" button on the workplan page."""

    priority = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        choices=[("up", "Move up"), ("down", "Move down")], widget=forms.HiddenInput
    )


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
