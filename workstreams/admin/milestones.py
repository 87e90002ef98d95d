"""Inlines for an action's milestones and a progress update's evidence files.

Milestones are saved through `workstreams.services.milestones` (history, the
action's row version, the published-record rule), as on the site and in the
API. Evidence files are shown read-only, each a link to the site's download
(which checks who may read it); they are added with a progress update on the
site or through the API.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from marmot.admin_helpers import HistoryAdmin
from workstreams import rules
from workstreams.models import EvidenceFile, Milestone
from workstreams.page_selectors.milestones import milestone_row
from workstreams.services import milestones as services


class MilestoneFormSet(forms.BaseInlineFormSet):
    """Saves each added, changed or deleted milestone through its service."""

    def save(self, commit=True):
        action = self.instance
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.deleted_forms:
            if form.instance.pk:
                services.milestone_delete(milestone=form.instance)
                self.deleted_objects.append(form.instance)
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            values = {
                name: form.cleaned_data.get(name)
                for name in ("title", "due_on", "done_on")
            }
            if form.instance.pk:
                saved = services.milestone_update(
                    milestone=Milestone.objects.get(pk=form.instance.pk), **values
                )
                self.changed_objects.append((saved, form.changed_data))
            else:
                saved = services.milestone_create(action=action, **values)
                self.new_objects.append(saved)
        return self.new_objects + [row for row, _ in self.changed_objects]

    def clean(self):
        super().clean()
        titles = [
            form.cleaned_data.get("title", "").strip()
            for form in self.forms
            if form.cleaned_data and form not in self.deleted_forms
        ]
        if len(titles) != len(set(titles)):
            raise ValidationError("Two milestones of this action have the same title.")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formset = MilestoneFormSet
    fields = ["title", "due_on", "done_on"]
    extra = 1
    verbose_name_plural = "milestones (% complete is worked out from them)"

    def _open(self, obj) -> bool:
        return obj is None or not obj.pk or rules.action_open(obj)

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    fields = ["download", "content_type", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "evidence files (added with the update, never changed)"

    @admin.display(description="File")
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("evidence-download", args=[obj.pk]),
            obj.original_name,
        )

    def has_view_permission(self, request, obj=None):
        """Not on the add page (a new update has no files yet)."""
        return obj is not None and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneAdminForm(forms.ModelForm):
    """As the services: no milestone on an archived action or one of a closed
    workplan (ADR 22)."""

    def clean(self):
        cleaned_data = super().clean()
        action = cleaned_data.get("action") or getattr(self.instance, "action", None)
        if action is not None and not rules.action_open(action):
            self.add_error(
                "action" if "action" in self.fields else None,
                "This action changes no more: it is archived or its workplan "
                "is closed.",
            )
        return cleaned_data


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    """Milestones across actions; added, changed and removed through the
    services (also on the action's own page, as an inline)."""

    form = MilestoneAdminForm
    list_display = ["title", "action", "workstream", "due_on", "state"]
    list_select_related = ["action__workplan__workstream"]
    list_filter = ["action__workplan__workstream"]
    search_fields = ["title", "action__title"]
    autocomplete_fields = ["action"]
    fields = ["action", "title", "due_on", "done_on"]

    def get_readonly_fields(self, request, obj=None):
        return ["action"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and not rules.action_open(obj.action):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not rules.action_open(obj.action):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data.get(name) for name in ("title", "due_on", "done_on")
        }
        if change:
            saved = services.milestone_update(
                milestone=Milestone.objects.get(pk=obj.pk), **values
            )
        else:
            saved = services.milestone_create(action=obj.action, **values)
        obj.pk, obj.position = saved.pk, saved.position
        obj._state.adding, obj._state.db = False, saved._state.db

    def delete_model(self, request, obj):
        services.milestone_delete(milestone=obj)

    @admin.display(description="Workstream", ordering="action__workplan__workstream")
    def workstream(self, obj):
        return obj.action.workplan.workstream

    @admin.display(description="Done or overdue", ordering="done_on")
    def state(self, obj):
        return milestone_row(obj, timezone.localdate()).words


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """View only: files come with progress updates, on the site or the API."""

    list_display = ["download", "progress_update", "content_type", "size", "created_at"]
    list_select_related = ["progress_update__action"]
    search_fields = ["original_name", "progress_update__action__title"]
    fields = ["download", "progress_update", "content_type", "size", "created_at"]
    readonly_fields = fields

    @admin.display(description="File", ordering="original_name")
    def download(self, obj):
        return EvidenceFileInline.download(None, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
