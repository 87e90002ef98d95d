"""Forms for partner submissions and their moderation (GOV.UK markup).

They only read and check what was typed; `workstreams.services` saves, and its
ValidationErrors are shown on the form (`workstreams.forms.common.add_service_errors`).
Choices come from `workstreams.page_selectors.submissions`.
"""

from __future__ import annotations

from django import forms

from marmot.site.forms import GovukDateField, GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.forms.common import (
    LabelledModelMultipleChoiceField,
    recommendation_label,
)
from workstreams.models import Submission
from workstreams.services.submissions import (
    MESSAGE_MAX_LENGTH,
    SUBMISSION_UPDATE_FIELDS,
)

DATE_FIELDS = ("start_date", "end_date")
# What the services take from this form: the fields a partner may change, and
# the principles (a many-to-many, passed alongside).
SERVICE_FIELDS = (*SUBMISSION_UPDATE_FIELDS, "principles")
# The check-your-answers page's rows, in the form's order.
ANSWER_FIELDS = (
    "organisation",
    "workstream",
    "principles",
    "title",
    "description",
    "start_date",
    "end_date",
    "lead_contact",
    "evidence_url",
    "supports_activity",
    "supports_recommendation",
)


class ActivityChoiceField(forms.ChoiceField):
    """A select of logic model activities grouped by workstream (``<optgroup>``),
    read back as the activity. Any listed activity is accepted here: whether it
    belongs to the chosen workstream is the service's rule, with its message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [])
        super().__init__(*args, **kwargs)
        self.items = {}

    def set_activities(self, activities) -> None:
        """``activities``: items with ``logic_model__workstream`` selected."""
        self.items = {str(item.pk): item for item in activities}
        groups: dict[str, list] = {}
        for item in activities:
            name = item.logic_model.workstream.name
            groups.setdefault(name, []).append((str(item.pk), item.text))
        self.choices = [("", "None"), *groups.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.items.get(str(value)) if value else None


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = recommendation_label(obj)
        return label if len(label) <= 120 else f"{label[:119]}…"


class SubmissionForm(OnceFormMixin, GovukForm):
    """Propose an action (or edit one not yet decided). Officers also choose
    the organisation it is for; partners submit for their own."""

    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        help_text="The partner organisation proposing the action. Start typing "
        "its name to narrow the list.",
        empty_label="Choose an organisation",
        widget=forms.Select(attrs={"data-marmot-autocomplete": ""}),
        error_messages={
            "required": "Choose the organisation",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    workstream = forms.ModelChoiceField(
        queryset=None,
        label="Workstream",
        help_text="The workstream whose chair will consider it.",
        empty_label="Choose a workstream",
        error_messages={
            "required": "Choose a workstream",
            "invalid_choice": "Choose a workstream from the list",
        },
    )
    principles = LabelledModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Marmot principles it serves (optional)",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        label_for=lambda p: f"{p.number}. {p.title}",
        error_messages={"invalid_choice": "Select principles from the list"},
    )
    title = forms.CharField(
        max_length=300,
        help_text="A short name for the action, as it would appear in the workplan.",
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you will do, for whom, and what difference it will make.",
        error_messages={"required": "Enter a description"},
    )
    start_date = GovukDateField(
        label="Start date (optional)", help_text="For example, 1 4 2025", required=False
    )
    end_date = GovukDateField(
        label="End date (optional)", help_text="For example, 31 3 2026", required=False
    )
    lead_contact = forms.CharField(
        label="Lead contact",
        max_length=200,
        help_text="The person or team leading it, as it should be published.",
        error_messages={
            "required": "Enter the lead contact",
            "max_length": "The lead contact must be 200 characters or fewer",
        },
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="A web page or document that supports the proposal, "
        "starting https:// or http://.",
        error_messages={
            "invalid": "Enter a link that starts with http:// or https://, "
            "or leave it blank",
            "max_length": "The link must be 500 characters or fewer",
        },
    )
    supports_activity = ActivityChoiceField(
        label="Logic model activity it supports (optional)",
        required=False,
        help_text="The activities of each workstream's current logic model, "
        "grouped by workstream: choose one of the workstream you chose above.",
        widget=forms.Select(
            attrs={
                "data-marmot-autocomplete": "",
                "data-marmot-narrow-by": "id_workstream",
            }
        ),
        error_messages={"invalid_choice": "Choose an activity from the list"},
    )
    supports_recommendation = RecommendationChoiceField(
        queryset=None,
        required=False,
        label="Recommendation it answers (optional)",
        empty_label="None",
        widget=forms.Select(attrs={"data-marmot-autocomplete": ""}),
        error_messages={"invalid_choice": "Choose a recommendation from the list"},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        choices: dict,
        with_organisation: bool,
        with_reply: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not with_organisation:
            del self.fields["organisation"]
        if with_reply:
            self.fields["reply"] = forms.CharField(
                label="Your reply to the chair (optional)",
                required=False,
                max_length=MESSAGE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Answer what the chair asked. It is added to the "
                "conversation on the submission's page; the proposal below is "
                "what you change.",
                error_messages={
                    "max_length": f"The reply must be {MESSAGE_MAX_LENGTH} "
                    "characters or fewer"
                },
            )
            self.order_fields(["reply"])
        for name, queryset in choices.items():
            if name == "supports_activity":
                self.fields[name].set_activities(queryset)
            elif name in self.fields:
                self.fields[name].queryset = queryset

    def service_values(self) -> dict:
        """The cleaned values as `submission_create` / `submission_update` take
        them (without the organisation)."""
        values = {name: self.cleaned_data[name] for name in SERVICE_FIELDS}
        values["evidence_url"] = values["evidence_url"] or ""
        return values

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            # As `Submission.clean`, so the check-your-answers page never
            # shows what "Send" would refuse.
            self.add_error(
                "end_date", "The end date must be the same as or after the start date."
            )
        return cleaned

    def answers(self) -> list[dict]:
        """The cleaned values as a check-your-answers summary list: each row's
        label, the answer in words, and the id its "Change" link goes to."""
        data = self.cleaned_data
        rows = []
        for name in ANSWER_FIELDS:
            if name not in self.fields:
                continue
            field = self[name]
            value = data.get(name)
            listed = []
            if name in DATE_FIELDS:
                text = f"{value.day} {value:%B %Y}" if value else "Not given"
            elif name == "principles":
                listed = [f"{p.number}. {p.title}" for p in value]
                text = "" if listed else "None chosen"
            elif name == "supports_activity":
                text = value.text if value else "None chosen"
            elif name == "supports_recommendation":
                text = recommendation_label(value) if value else "None chosen"
            elif name in ("organisation", "workstream"):
                text = value.name
            else:
                text = value or "None given"
            label = field.label.removesuffix(" (optional)")
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "value": text,
                    "listed": listed,
                    "anchor": field.error_anchor,
                    "long": name == "description",
                }
            )
        return rows

    @staticmethod
    def initial_for(submission: Submission) -> dict:
        initial = {name: getattr(submission, name) for name in SERVICE_FIELDS}
        initial["principles"] = [p.pk for p in submission.principles.all()]
        initial["workstream"] = submission.workstream_id
        initial["supports_activity"] = submission.supports_activity_id
        initial["supports_recommendation"] = submission.supports_recommendation_id
        initial["row_version"] = submission.row_version
        return initial

    @staticmethod
    def data_for(submission: Submission) -> dict:
        """The saved values as if just posted: a bound form showing them."""
        data = {}
        for name, value in SubmissionForm.initial_for(submission).items():
            if name in DATE_FIELDS:
                if value:
                    data[f"{name}_day"] = str(value.day)
                    data[f"{name}_month"] = str(value.month)
                    data[f"{name}_year"] = str(value.year)
            elif isinstance(value, list):
                data[name] = [str(pk) for pk in value]
            else:
                data[name] = "" if value is None else str(value)
        return data


DECISIONS = [
    ("accept", "Accept"),
    ("more_info", "Ask for more information"),
    ("reject", "Reject"),
]


class WorkplanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.year_label} ({obj.get_status_display().lower()})"


class DecisionForm(GovukForm):
    """The chair's decision on a submission not yet decided."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        help_text="Accepting makes it an action in the workplan you choose, led "
        "by the partner's organisation.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a decision",
            "invalid_choice": "Choose a decision from the list",
        },
    )
    workplan = WorkplanChoiceField(
        queryset=None,
        required=False,
        label="Workplan (when accepting)",
        help_text="The action goes into this workplan. Closed workplans are "
        "not listed.",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a workplan from the list"},
    )
    reason = forms.CharField(
        label="Reason (when rejecting or asking for more information)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The partner is shown this and emailed it. Asking for more "
        "information adds it to the conversation below.",
    )
    confirm_outside_plan = forms.BooleanField(
        label="Yes, accept it into this workplan although its dates fall outside "
        "the workplan's",
        required=False,
    )

    def __init__(self, *args, workplans, outside_plan: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplan"].queryset = workplans
        self.outside_plan = outside_plan or {}
        if not self.outside_plan:
            del self.fields["confirm_outside_plan"]
        else:
            self.fields["confirm_outside_plan"].help_text = " ".join(
                dict.fromkeys(self.outside_plan.values())
            )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision in ("reject", "more_info") and not cleaned.get("reason", ""):
            self.add_error("reason", "Give the partner a reason")
        return cleaned


class MessageForm(GovukForm):
    """A message in a submission's conversation: the partner's reply or the
    chair's note."""

    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="It is added to the conversation below and emailed to the "
        "other side. It does not change the proposal.",
        error_messages={
            "required": "Enter your message",
            "max_length": f"The message must be {MESSAGE_MAX_LENGTH} characters "
            "or fewer",
        },
    )


STATUS_FILTER = [("", "Any status"), *Submission.Status.choices]


class SubmissionFilterForm(GovukForm):
    """The list's filter (GET)."""

    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_FILTER,
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
