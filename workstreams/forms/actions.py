"""Forms for a workstream's actions and their progress updates."""

from __future__ import annotations

from django import forms

from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.forms.common import (
    LabelledModelMultipleChoiceField,
    date_field,
    recommendation_label,
)
from workstreams.models import Action, LogicModel

STATUS_CHOICES = Action.Status.choices
RAG_CHOICES = [
    (Action.Rag.GREEN, "Green – on track"),
    (Action.Rag.AMBER, "Amber – at risk"),
    (Action.Rag.RED, "Red – off track"),
]
CONFLICT = (
    "Someone else changed this action since you opened it. Their changes are "
    "shown below; make your changes again."
)


def activity_label(item) -> str:
    if item.logic_model.status == LogicModel.Status.CURRENT:
        return item.text
    return f"{item.text} (logic model version {item.logic_model.version})"


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
