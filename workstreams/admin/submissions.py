"""Admin for partner submissions (proposed actions) and their moderation.

Decisions go through the services, as on the site and in the API, so they
create the action, record who decided and email the partner: the change
form's status (checked first in the form, so a refusal is a form error, not a
crash) and the list's actions (accept; reject or ask for more information,
with a reason typed once for the selected rows). A submission added here goes
through `submission_create` (which emails the workstream's chairs). Other
fields are the officers' escape hatch, saved directly.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from marmot.admin_helpers import (
    CompactTextareasMixin,
    HistoryAdmin,
    ReadableLabelsMixin,
    RowVersionAdminMixin,
    action_with_reason,
)
from workstreams import services
from workstreams.admin.programme import PrincipleCheckboxesMixin
from workstreams.models import Submission, SubmissionMessage

Status = Submission.Status
DECIDED = (Status.ACCEPTED, Status.REJECTED)
CREATE_FIELDS = (
    "organisation",
    "submitted_by",
    "workstream",
    "title",
    "description",
    "start_date",
    "end_date",
    "lead_contact",
    "evidence_url",
    "supports_activity",
    "supports_recommendation",
)


class SubmissionForm(CompactTextareasMixin, forms.ModelForm):
    """Turn the model's constraints and the services' rules into field errors
    an officer can act on, before anything is saved."""

    textarea_rows = {"description": 5, "decision_reason": 3}

    def clean(self):
        cleaned_data = super().clean()
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
        self._check_status(cleaned_data)
        return cleaned_data

    def _check_status(self, cleaned_data) -> None:
        status = cleaned_data.get("status")
        if "status" not in self.changed_data or status is None:
            return
        instance = self.instance
        if instance._state.adding:
            self.add_error(
                "status", "A new submission starts as submitted: decide it once saved."
            )
            return
        was = self.initial.get("status")
        if was in DECIDED:
            self.add_error("status", "The submission was decided: that cannot change.")
            return
        reason = (cleaned_data.get("decision_reason") or "").strip()
        if status in (Status.REJECTED, Status.MORE_INFO) and not reason:
            self.add_error(
                "decision_reason", "Say why: the partner is shown this reason."
            )
        if status == Status.ACCEPTED:
            try:
                services.submission_accept_check(
                    submission=Submission.objects.get(pk=instance.pk)
                )
            except ValidationError as error:
                for message in error.messages:
                    self.add_error("status", message)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The partner is shown this and emailed it.",
    )


class SubmissionMessageInline(admin.TabularInline):
    """The submission's conversation, read only: messages are append-only
    (ADR 36) and written on the site or through the API."""

    model = SubmissionMessage
    verbose_name = "message"
    verbose_name_plural = "conversation"
    fields = ["created_at", "kind", "author", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Submission)
class SubmissionAdmin(
    RowVersionAdminMixin,
    ReadableLabelsMixin,
    PrincipleCheckboxesMixin,
    HistoryAdmin,
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
    ]
    readonly_fields = [
        "action",
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
                "description": "Accepting makes the action in the workstream's "
                "current workplan; every decision emails the partner.",
                "fields": [
                    "status",
                    "decision_reason",
                    "action",
                    "decided_by",
                    "decided_at",
                ],
            },
        ),
        ("Record", {"fields": ["row_version", "created_at", "updated_at"]}),
    ]
    actions = ["accept_selected", "request_info_selected", "reject_selected"]
    inlines = [SubmissionMessageInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "evidence_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- saving through the services ----------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            self._create(request, obj, form)
            return
        decided = "status" in form.changed_data
        direct = set(form.changed_data) - {"status"}
        if decided:
            direct.discard("decision_reason")
            status, reason = obj.status, obj.decision_reason
            obj.status = form.initial["status"]
            obj.decision_reason = form.initial.get("decision_reason") or ""
        if direct:
            super().save_model(request, obj, form, change)
        if decided:
            saved = self._apply(request, obj, status, reason)
            for name in ("status", "decision_reason", "decided_by", "decided_at"):
                setattr(obj, name, getattr(saved, name))
            obj.action_id, obj.row_version = saved.action_id, saved.row_version

    def _create(self, request, obj, form):
        data = form.cleaned_data
        saved = services.submission_create(
            **{name: data.get(name) for name in CREATE_FIELDS},
            principles=data.get("principles"),
        )
        obj.pk, obj.created_at = saved.pk, saved.created_at
        obj._state.adding, obj._state.db = False, saved._state.db

    def _apply(self, request, obj, status, reason):
        user = request.user
        if status == Status.ACCEPTED:
            # Officers' escape hatch: dates outside the workplan are accepted
            # without the site's and API's confirmation step.
            return services.submission_accept(
                submission=obj, user=user, confirm_outside_plan=True
            )
        if status == Status.REJECTED:
            return services.submission_reject(submission=obj, user=user, reason=reason)
        if status == Status.MORE_INFO:
            return services.submission_request_info(
                submission=obj, user=user, reason=reason
            )
        return services.submission_update(submission=obj, user=user)

    # --- list actions ---------------------------------------------------------

    def _each(self, request, queryset, decide, done_label: str) -> None:
        done, problems = 0, []
        for submission in queryset.order_by("pk"):
            try:
                decide(submission)
            except ValidationError as error:
                problems.append(f"“{submission.title}”: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request, f"{done} submission{'s' if done != 1 else ''} {done_label}."
            )
        for problem in problems:
            self.message_user(request, problem, level=messages.ERROR)

    @admin.action(
        description="Accept the selected submissions (into the current workplan)",
        permissions=["change"],
    )
    def accept_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: services.submission_accept(
                submission=s, user=request.user, confirm_outside_plan=True
            ),
            "accepted",
        )

    @admin.action(
        description="Reject the selected submissions (with a reason)",
        permissions=["change"],
    )
    def reject_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, services.submission_reject, "rejected", "Reject"
        )

    @admin.action(
        description="Ask for more information on the selected submissions",
        permissions=["change"],
    )
    def request_info_selected(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            services.submission_request_info,
            "sent back for more information",
            "Ask for more information on",
        )

    def _with_reason(self, request, queryset, service, done_label, verb):
        """First the reason page; once the reason is given, each decision."""
        return action_with_reason(
            self,
            request,
            queryset,
            apply=lambda reason: self._each(
                request,
                queryset,
                lambda s: service(submission=s, user=request.user, reason=reason),
                done_label,
            ),
            title=f"{verb} {queryset.count()} submission(s)",
            template="workstreams/submissions/admin_reason.html",
            form_class=ReasonForm,
        )


@admin.register(SubmissionMessage)
class SubmissionMessageAdmin(admin.ModelAdmin):
    """Every submission's conversation, to read: messages are append-only
    (ADR 36), written on the site or through the API."""

    list_display = ["created_at", "submission", "kind", "author"]
    list_filter = ["kind"]
    list_select_related = ["submission__organisation", "author"]
    search_fields = ["body", "submission__title"]
    fields = ["submission", "kind", "author", "created_at", "body"]
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
