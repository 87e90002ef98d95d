"""Admin for actions and their append-only progress updates."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from marmot.admin_helpers import (
    EMPTY,
    CompactTextareasMixin,
    HistoryAdmin,
    ReadableLabelsMixin,
    RowVersionAdminMixin,
    truncate,
)
from workstreams import rules
from workstreams.admin.milestones import EvidenceFileInline, MilestoneInline
from workstreams.admin.programme import PrincipleCheckboxesMixin
from workstreams.models import Action, LogicModelItem, ProgressUpdate, WorkplanPriority
from workstreams.services import progress_update_create
from workstreams.services.actions import action_archive

UPDATE_FIELDS = ("reported_on", "text", "status", "rag")

CLOSED_STATUSES = [Action.Status.COMPLETED, Action.Status.CANCELLED]


def rag_label(obj) -> str:
    """RAG as words, so it never depends on colour alone."""
    return obj.get_rag_display() or "Not rated"


def overdue_expression():
    """True when an action is past its due date and not completed or cancelled."""
    return Case(
        When(
            Q(due_date__lt=timezone.localdate()) & ~Q(status__in=CLOSED_STATUSES),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


class ActionForm(CompactTextareasMixin, forms.ModelForm):
    """Turn the model's completion constraint into field errors (the date
    order is the model's ``clean()``, which the model form runs)."""

    textarea_rows = {"description": 4}

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status and "completed_on" in self.fields:
            completed_on = cleaned_data.get("completed_on")
            if status == Action.Status.COMPLETED and not completed_on:
                self.add_error(
                    "completed_on", "Give the date this completed action was completed."
                )
            elif status != Action.Status.COMPLETED and completed_on:
                self.add_error(
                    "completed_on",
                    "Only a completed action has a completion date: clear the date "
                    "or set the status to Completed.",
                )
        self._check_activities(cleaned_data)
        self._check_workplan_open(cleaned_data)
        return cleaned_data

    def _check_workplan_open(self, cleaned_data) -> None:
        """As the services: a closed workplan takes no new action (ADR 22)."""
        workplan = cleaned_data.get("workplan")
        moved = workplan is not None and workplan.pk != self.instance.workplan_id
        if moved and not rules.workplan_open(workplan):
            self.add_error(
                "workplan",
                f"The {workplan.year_label} workplan is closed: it takes no new "
                "actions.",
            )

    def _check_activities(self, cleaned_data) -> None:
        """As the services: only activities of this workstream's logic models."""
        activities = cleaned_data.get("activities")
        workplan = cleaned_data.get("workplan")
        if not activities or workplan is None:
            return
        strays = activities.exclude(
            kind=LogicModelItem.Kind.ACTIVITY,
            logic_model__workstream=workplan.workstream_id,
        )
        if strays.exists():
            self.add_error(
                "activities",
                "Choose activities from this workstream's own logic models.",
            )


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.workplan} — {obj.title}"


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_overdue=self.value() == "yes")
        return queryset


class ArchivedFilter(admin.SimpleListFilter):
    title = "archived"
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", "Not archived"), ("yes", "Archived")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(archived_at__isnull=self.value() == "no")
        return queryset


@admin.action(description="Archive selected actions")
def archive_actions(modeladmin, request, queryset):
    """Through the service: an action with a public record leaves the lists
    but keeps its page, updates and history (ADR 22)."""
    archived, refused = 0, []
    for action in queryset.select_related("workplan"):
        if not rules.can_edit_action(request.user, action):
            refused.append(f"{action.title}: not yours to change")
            continue
        try:
            action_archive(action=action)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        else:
            archived += 1
    if archived:
        modeladmin.message_user(request, f"Archived {archived} action(s).")
    for message in refused:
        modeladmin.message_user(request, message, messages.ERROR)


class ProgressUpdateInline(admin.TabularInline):
    """Existing updates are shown read-only; officers can only add new ones."""

    model = ProgressUpdate
    fields = ["reported_on", "status", "rag", "text", "author"]
    readonly_fields = ["author"]
    extra = 1
    can_delete = False
    verbose_name = "progress update"
    verbose_name_plural = "progress updates (append-only: add a new one to correct)"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("widgets", {"text": forms.Textarea(attrs={"rows": 2})})
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        """None on an archived action or one of a closed workplan (ADR 22)."""
        if obj is not None and obj.pk and not rules.action_open(obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(
    RowVersionAdminMixin,
    ReadableLabelsMixin,
    PrincipleCheckboxesMixin,
    HistoryAdmin,
):
    form = ActionForm
    list_display = [
        "title",
        "workstream",
        "priority",
        "lead_organisation",
        "status",
        "rag_text",
        "due_date",
        "overdue",
        "last_update",
    ]
    list_select_related = ["workplan__workstream", "priority", "lead_organisation"]
    list_filter = [
        "status",
        "rag",
        OverdueFilter,
        "workplan__workstream",
        "principles",
        "lead_organisation__kind",
        "source",
        "is_next_step",
        ArchivedFilter,
    ]
    actions = [archive_actions]
    date_hierarchy = "due_date"
    search_fields = [
        "title",
        "description",
        "lead_person",
        "lead_organisation__name",
        "workplan__workstream__name",
    ]
    autocomplete_fields = [
        "workplan",
        "lead_organisation",
        "lead_user",
        "activities",
        "recommendations",
    ]
    readonly_fields = ["created_at", "updated_at", "archived_at", "carried_from"]
    inlines = [MilestoneInline, ProgressUpdateInline]
    field_labels = {
        "is_next_step": "Published as a next step",
        "lead_user": "Lead user (receives reminders)",
        "principles": "Marmot principles",
        "activities": "Logic model activities",
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workplan",
                    "priority",
                    "title",
                    "description",
                    "is_next_step",
                    "source",
                ]
            },
        ),
        ("Lead", {"fields": ["lead_organisation", "lead_person", "lead_user"]}),
        (
            "Status and dates",
            {
                "fields": [
                    "status",
                    "rag",
                    "start_date",
                    "due_date",
                    "completed_on",
                    "percent_complete",
                ]
            },
        ),
        ("Links", {"fields": ["activities", "recommendations", "principles"]}),
        (
            "Record",
            {"fields": ["created_at", "updated_at", "archived_at", "carried_from"]},
        ),
    ]

    def has_change_permission(self, request, obj=None):
        """An archived action, or one of a closed workplan, is shown read-only
        (ADR 22)."""
        if obj is not None and not rules.action_open(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Only an action with no public record (added by mistake); archive
        the others (ADR 22)."""
        if obj is not None and not rules.action_deletable(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        latest_update = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by(
            "-reported_on", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                is_overdue=overdue_expression(),
                last_reported_on=Subquery(latest_update.values("reported_on")[:1]),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority":
            queryset = WorkplanPriority.objects.select_related("workplan__workstream")
            match = request.resolver_match
            object_id = match.kwargs.get("object_id") if match else None
            if object_id:
                queryset = queryset.filter(workplan__actions=object_id)
            kwargs["queryset"] = queryset
            kwargs["form_class"] = PriorityChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ProgressUpdateInline):
            # Start a new update from the action's saved status and RAG (not the
            # unsaved form's, or an untouched blank row would count as changed).
            initial = {"reported_on": timezone.localdate()}
            if obj is not None and obj.pk:
                saved = Action.objects.filter(pk=obj.pk).values("status", "rag")
                initial.update(saved.first() or {})
            kwargs["initial"] = [initial]
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgressUpdate:
            return super().save_formset(request, form, formset, change)
        # Through the service, as every entry point: it also moves the action to
        # the update's status and RAG. Existing updates are never saved.
        formset.new_objects = [
            progress_update_create(
                action=form.instance,
                author=request.user,
                **{name: update_form.cleaned_data[name] for name in UPDATE_FIELDS},
            )
            for update_form in formset.extra_forms
            if update_form.has_changed()
        ]
        formset.changed_objects, formset.deleted_objects = [], []
        return formset.new_objects

    @admin.display(description="Workstream", ordering="workplan__workstream__name")
    def workstream(self, obj):
        return obj.workplan.workstream

    @admin.display(description="RAG", ordering="rag")
    def rag_text(self, obj):
        return rag_label(obj)

    @admin.display(description="Overdue", ordering="is_overdue")
    def overdue(self, obj):
        if not obj.is_overdue:
            return "No"
        days = (timezone.localdate() - obj.due_date).days
        return f"Overdue by {days} day{'s' if days != 1 else ''}"

    @admin.display(description="Last update", ordering="last_reported_on")
    def last_update(self, obj):
        return obj.last_reported_on or EMPTY


class ProgressUpdateForm(forms.ModelForm):
    """As the service: no update on an archived action or one of a closed
    workplan (ADR 22)."""

    def clean(self):
        cleaned_data = super().clean()
        action = cleaned_data.get("action")
        if action is not None and not rules.action_open(action):
            self.add_error(
                "action",
                "This action takes no more updates: it is archived or its "
                "workplan is closed.",
            )
        return cleaned_data


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Add-only: an update, once saved, is never edited or deleted.

    A new update moves its action to the update's status and RAG.
    """

    list_display = [
        "reported_on",
        "action",
        "workstream",
        "status",
        "rag_text",
        "author",
        "summary",
    ]
    list_select_related = ["action__workplan__workstream", "author"]
    list_filter = ["status", "rag", "action__workplan__workstream"]
    date_hierarchy = "reported_on"
    search_fields = [
        "text",
        "action__title",
        "author__username",
        "author__first_name",
        "author__last_name",
    ]
    form = ProgressUpdateForm
    inlines = [EvidenceFileInline]
    autocomplete_fields = ["action"]
    fields = ["action", "reported_on", "status", "rag", "text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("reported_on", timezone.localdate())
        return initial

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Create through the service (moves the action on), as the request user."""
        saved = progress_update_create(
            action=obj.action,
            author=request.user,
            **{name: getattr(obj, name) for name in UPDATE_FIELDS},
        )
        obj.pk, obj.author, obj.created_at = saved.pk, saved.author, saved.created_at
        obj._state.adding, obj._state.db = False, saved._state.db

    @admin.display(
        description="Workstream", ordering="action__workplan__workstream__name"
    )
    def workstream(self, obj):
        return obj.action.workplan.workstream

    @admin.display(description="RAG", ordering="rag")
    def rag_text(self, obj):
        return rag_label(obj)

    @admin.display(description="Update")
    def summary(self, obj):
        return truncate(obj.text)
