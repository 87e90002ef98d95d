"""Admin for partner submissions (proposed actions) and their moderation."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from workstreams.admin.common import (
    CompactTextareasMixin,
    ReadableLabelsMixin,
    RowVersionAdminMixin,
)
from workstreams.admin.programme import PrincipleCheckboxesMixin
from workstreams.models import Submission

DECISIONS = (
    Submission.Status.ACCEPTED,
    Submission.Status.REJECTED,
    Submission.Status.MORE_INFO,
)


class SubmissionForm(CompactTextareasMixin, forms.ModelForm):
    """Turn the model's constraints into field errors an officer can act on."""

    textarea_rows = {"description": 5, "decision_reason": 3}

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        status = cleaned_data.get("status")
        if status == Submission.Status.ACCEPTED and not cleaned_data.get("action"):
            self.add_error("action", "Link the action this accepted submission became.")
        reason = (cleaned_data.get("decision_reason") or "").strip()
        if status in (Submission.Status.REJECTED, Submission.Status.MORE_INFO) and (
            not reason
        ):
            self.add_error(
                "decision_reason", "Say why: the partner is shown this reason."
            )
        activity = cleaned_data.get("supports_activity")
        workstream = cleaned_data.get("workstream")
        if (
            activity
            and workstream
            and (activity.logic_model.workstream_id != workstream.pk)
        ):
            self.add_error(
                "supports_activity",
                "Choose an activity from this workstream's own logic models.",
            )
        return cleaned_data


@admin.register(Submission)
class SubmissionAdmin(
    RowVersionAdminMixin,
    ReadableLabelsMixin,
    PrincipleCheckboxesMixin,
    SimpleHistoryAdmin,
):
    form = SubmissionForm
    list_display = [
        "title",
        "organisation",
        "workstream",
        "submitted_by",
        "status",
        "created_at",
        "decided_by",
        "action",
    ]
    list_select_related = [
        "organisation",
        "workstream",
        "submitted_by",
        "decided_by",
        "action",
    ]
    list_filter = ["status", "workstream", "organisation__kind"]
    date_hierarchy = "created_at"
    search_fields = ["title", "description", "lead_contact", "organisation__name"]
    autocomplete_fields = [
        "organisation",
        "submitted_by",
        "workstream",
        "supports_activity",
        "supports_recommendation",
        "action",
    ]
    readonly_fields = [
        "decided_by",
        "decided_at",
        "row_version",
        "created_at",
        "updated_at",
    ]
    field_labels = {
        "principles": "Marmot principles",
        "supports_activity": "Supports logic model activity",
        "action": "Resulting action",
    }
    fieldsets = [
        (
            "Proposal",
            {
                "fields": [
                    "organisation",
                    "submitted_by",
                    "workstream",
                    "title",
                    "description",
                    ("start_date", "end_date"),
                    "lead_contact",
                    "evidence_url",
                ]
            },
        ),
        (
            "Links",
            {"fields": ["supports_activity", "supports_recommendation", "principles"]},
        ),
        (
            "Decision",
            {
                "fields": [
                    "status",
                    "decision_reason",
                    "action",
                    "decided_by",
                    "decided_at",
                ]
            },
        ),
        ("Record", {"fields": ["row_version", "created_at", "updated_at"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "evidence_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status in DECISIONS:
            obj.decided_by = request.user
            obj.decided_at = timezone.now()
        super().save_model(request, obj, form, change)
