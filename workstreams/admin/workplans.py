"""Admin for annual workplans and their priorities."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from marmot.admin_helpers import HistoryAdmin, RowVersionAdminMixin, subquery_count
from workstreams import rules
from workstreams.admin.actions import ActionForm
from workstreams.forms.workplans import confirm_message, year_ended
from workstreams.models import Action, Workplan, WorkplanPriority
from workstreams.services.workplans import (
    SIGN_OFF_FIELDS,
    WORKPLAN_UPDATE_FIELDS,
    workplan_create,
    workplan_update,
    workplan_update_values,
)

DETAIL_FIELDS = ("year_label", "starts_on", "ends_on")


class WorkplanForm(forms.ModelForm):
    """Turn the services' rules (the status rule and the published record,
    ADR 22) into form errors before saving; the date order is the model's
    ``clean()``, which the model form runs."""

    user = None  # the signed-in officer, set by ``WorkplanAdmin.get_form``
    confirm_year_ended = forms.BooleanField(
        label="Sign off although its year has ended",
        required=False,
        help_text="Needed only to sign off a workplan whose end date has passed.",
    )

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        self._check_year_ended(cleaned_data)
        if self.errors:
            return cleaned_data
        try:
            if self.instance.pk is None:
                self._check_new(cleaned_data)
            else:
                workplan_update_values(
                    workplan=Workplan.objects.get(pk=self.instance.pk),
                    user=self.user,
                    changes=self.changes(),
                )
        except ValidationError as error:
            self._add_service_errors(error)
        return cleaned_data

    def _check_year_ended(self, cleaned_data) -> None:
        """Signing off a workplan whose year has ended asks for confirmation,
        as on the site's status form."""
        signing_off = cleaned_data.get("status") == Workplan.Status.SIGNED_OFF
        was = self.instance.status if self.instance.pk else None
        ends_on = cleaned_data.get("ends_on", self.instance.ends_on)
        if not signing_off or was == Workplan.Status.SIGNED_OFF or ends_on is None:
            return
        year = cleaned_data.get("year_label", self.instance.year_label)
        probe = Workplan(year_label=year, ends_on=ends_on)
        if year_ended(probe) and not cleaned_data.get("confirm_year_ended"):
            self.add_error("confirm_year_ended", confirm_message(probe))

    def changes(self) -> dict:
        """The service fields this form changes (read-only ones are not in it)."""
        saved = Workplan.objects.get(pk=self.instance.pk)
        return {
            name: self.cleaned_data[name]
            for name in WORKPLAN_UPDATE_FIELDS
            if name in self.cleaned_data
            and self.cleaned_data[name] != getattr(saved, name)
        }

    def _check_new(self, cleaned_data) -> None:
        status = cleaned_data.get("status", Workplan.Status.DRAFT)
        if status != Workplan.Status.DRAFT:
            self.add_error(
                "status", "A new workplan starts as a draft; then change its status."
            )
        for name in SIGN_OFF_FIELDS:
            if cleaned_data.get(name):
                self.add_error(
                    name, "A new workplan is a draft: it is signed off later."
                )

    def _add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class ClosedWorkplanReadOnlyMixin:
    """An inline of a workplan: read-only once the workplan is closed."""

    def _open(self, obj) -> bool:
        return obj is None or rules.workplan_open(obj)

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class WorkplanPriorityInline(ClosedWorkplanReadOnlyMixin, admin.TabularInline):
    model = WorkplanPriority
    fields = ["position", "title", "description"]
    extra = 0
    verbose_name_plural = "priorities"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "widgets", {"description": forms.Textarea(attrs={"rows": 1, "cols": 50})}
        )
        return super().get_formset(request, obj, **kwargs)


class WorkplanActionFormSet(BaseInlineFormSet):
    """Offer only this workplan's own priorities; never delete an action with
    a public record (archive it in the actions list, ADR 22)."""

    def clean(self):
        super().clean()
        kept = [
            form.instance.title
            for form in self.deleted_forms
            if form.instance.pk and not rules.action_deletable(form.instance)
        ]
        if kept:
            raise ValidationError(
                "These actions have a public record (progress updates or an "
                f"accepted submission), so they are archived, not deleted: "
                f"{'; '.join(kept)}. Archive them with “Archive selected "
                "actions” in the actions list."
            )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "priority" in form.fields:
            priorities = WorkplanPriority.objects.none()
            if self.instance.pk:
                priorities = WorkplanPriority.objects.filter(workplan=self.instance)
            form.fields["priority"].queryset = priorities


class ActionInline(ClosedWorkplanReadOnlyMixin, admin.TabularInline):
    """A compact view; open an action for its description, links and updates.
    Archived actions are left out (they are in the actions list)."""

    model = Action
    form = ActionForm
    formset = WorkplanActionFormSet
    fields = [
        "title",
        "priority",
        "lead_organisation",
        "status",
        "rag",
        "due_date",
        "completed_on",
    ]
    autocomplete_fields = ["lead_organisation"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(archived_at__isnull=True)
            .select_related("priority", "lead_organisation")
        )


@admin.register(Workplan)
class WorkplanAdmin(RowVersionAdminMixin, HistoryAdmin):
    form = WorkplanForm
    list_display = [
        "year_label",
        "workstream",
        "status",
        "starts_on",
        "ends_on",
        "signed_off_on",
        "priority_count",
        "action_count",
    ]
    list_display_links = ["year_label", "workstream"]
    list_select_related = ["workstream"]
    list_filter = ["status", "workstream", "year_label"]
    search_fields = ["workstream__name", "year_label"]
    autocomplete_fields = ["workstream"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [WorkplanPriorityInline, ActionInline]
    fieldsets = [
        (None, {"fields": ["workstream", "year_label", "starts_on", "ends_on"]}),
        (
            "Sign-off",
            {
                "fields": [
                    "status",
                    "signed_off_on",
                    "signed_off_at",
                    "confirm_year_ended",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("workstream")
            .annotate(
                n_priorities=subquery_count(WorkplanPriority, "workplan"),
                n_actions=subquery_count(Action, "workplan"),
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        """A signed-off workplan's year, dates and sign-off are the published
        record; a closed one is read-only, status included (ADR 22)."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # a workplan stays in its workstream
            fields.append("workstream")
        if obj is not None and not rules.workplan_details_open(obj):
            fields += [*DETAIL_FIELDS, *SIGN_OFF_FIELDS]
        if obj is not None and not rules.workplan_open(obj):
            fields.append("status")
        return fields

    def save_model(self, request, obj, form, change):
        """Through the services, as every entry point (the status rule and the
        published record); ``form.clean`` has asked them already."""
        if change:
            saved = workplan_update(workplan=obj, user=request.user, **form.changes())
        else:
            values = {
                name: form.cleaned_data[name]
                for name in ("starts_on", "ends_on")
                if name in form.cleaned_data
            }
            saved = workplan_create(
                workstream=form.cleaned_data["workstream"],
                year_label=form.cleaned_data["year_label"],
                **values,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None):
        """Not while it has actions (they hold the record): as the service."""
        if obj is not None and obj.actions.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model in (Action, WorkplanPriority):
            for row_form in formset.initial_forms:
                if row_form.has_changed():
                    row_form.instance.row_version += 1
        super().save_formset(request, form, formset, change)

    @admin.display(description="Priorities", ordering="n_priorities")
    def priority_count(self, obj):
        return obj.n_priorities

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions


@admin.register(WorkplanPriority)
class WorkplanPriorityAdmin(RowVersionAdminMixin, HistoryAdmin):
    list_display = ["title", "workplan", "position", "action_count"]
    list_select_related = ["workplan__workstream"]
    list_filter = ["workplan__workstream", "workplan__year_label"]
    search_fields = ["title", "description", "workplan__workstream__name"]
    autocomplete_fields = ["workplan"]
    readonly_fields = ["carried_from"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("workplan__workstream")
            .annotate(n_actions=subquery_count(Action, "priority"))
        )

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions
