"""Forms for a workstream's actions and their progress updates."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone

from marmot.site.forms import GovukDateField, GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.evidence import ACCEPT, TAKEN, megabytes
from workstreams.forms.common import (
    DateInput,
    LabelledModelMultipleChoiceField,
    date_field,
    recommendation_label,
)
from workstreams.models import Action, LogicModel
from workstreams.services.evidence import evidence_files_check

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
        widget=forms.Select(attrs={"data-marmot-autocomplete": ""}),
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


UNCHANGED = "unchanged"
BAD_LINK = (
    "Enter a web address starting https:// or http://, for example "
    "https://www.example.org/report"
)
CLEAR = "clear"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the list of those chosen (maybe empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressUpdateForm(OnceFormMixin, GovukForm):
    """A progress note, dated (today or earlier), with the status and RAG the
    action is left at — each may be left unchanged, and the rating cleared —
    and evidence: files (checked by content, `workstreams.evidence`) and a
    link."""

    reported_on = GovukDateField(
        label="Date of the update",
        help_text="The day the progress was made or reported: today or earlier. "
        "For example, 14 2 2026",
        widget=DateInput,
        error_messages={"required": "Enter the date of the update"},
    )
    status = forms.ChoiceField(
        label="Status now",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the action's status now",
            "invalid_choice": "Select a status from the list",
        },
    )
    rag = forms.ChoiceField(
        label="RAG rating now",
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave it unchanged to keep the action's current rating, or "
        "clear it if the action should show as not rated.",
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )
    text = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What has happened since the last update, and what happens next.",
        error_messages={"required": "Enter a progress note"},
    )
    evidence_link = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A web page that shows the progress, starting https:// or http://",
        error_messages={
            "invalid": BAD_LINK,
            "max_length": "The link must be 500 characters or fewer",
        },
    )
    evidence_files = MultipleFileField(
        label="Evidence files (optional)",
        required=False,
        error_messages={
            "empty": "The file is empty: choose the file with the evidence"
        },
    )

    def __init__(self, data=None, *args, action: Action, **kwargs):
        if data is not None and not any(
            f"reported_on_{part}" in data for part in ("day", "month", "year")
        ):
            # Sent without the date boxes at all (a page opened before they
            # were added, a script): dated today, as updates always were. Boxes
            # sent empty are the "Enter the date" error.
            today = timezone.localdate()
            data = data.copy()
            data.update(
                {
                    "reported_on_day": str(today.day),
                    "reported_on_month": str(today.month),
                    "reported_on_year": str(today.year),
                }
            )
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "reported_on": timezone.localdate(),
            "status": UNCHANGED,
            "rag": UNCHANGED,
            **kwargs["initial"],
        }
        super().__init__(data, *args, **kwargs)
        self.action = action
        status_now = action.get_status_display()
        self.fields["status"].choices = [
            (UNCHANGED, f"Leave unchanged (currently {status_now})"),
            *STATUS_CHOICES,
        ]
        rag_now = (
            f"currently {dict(RAG_CHOICES)[action.rag]}"
            if action.rag
            else "not rated now"
        )
        self.fields["rag"].choices = [
            (UNCHANGED, f"Leave unchanged ({rag_now})"),
            *RAG_CHOICES,
            (CLEAR, "Clear the rating"),
        ]
        most = settings.EVIDENCE_MAX_FILES
        self.fields["evidence_files"].help_text = (
            f"Up to {most} files, each {megabytes(settings.EVIDENCE_MAX_BYTES)} or "
            f"smaller: {TAKEN}."
        )

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on and reported_on > timezone.localdate():
            raise forms.ValidationError(
                "The date of the update must be today or in the past"
            )
        return reported_on

    def clean_evidence_link(self):
        link = self.cleaned_data["evidence_link"]
        if link and not link.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(BAD_LINK)
        return link

    def clean_evidence_files(self):
        files = self.cleaned_data["evidence_files"]
        try:  # the service's own check, shown on the field
            evidence_files_check(files)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return files

    def service_values(self) -> dict:
        """The cleaned values as `services.progress_update_create` takes them."""
        data = self.cleaned_data
        rag = data["rag"] or UNCHANGED
        status = data["status"]
        return {
            "reported_on": data["reported_on"],
            "text": data["text"],
            "status": self.action.status if status == UNCHANGED else status,
            "rag": "" if rag in (UNCHANGED, CLEAR) else rag,
            "clear_rag": rag == CLEAR,
            "evidence_link": data["evidence_link"],
            "evidence_files": data["evidence_files"],
        }
