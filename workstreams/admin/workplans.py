"""Admin for annual workplans and their priorities."""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from simple_history.admin import SimpleHistoryAdmin

from workstreams.admin.actions import ActionForm
from workstreams.admin.common import RowVersionAdminMixin, subquery_count
from workstreams.models import Action, Workplan, WorkplanPriority


class WorkplanForm(forms.ModelForm):
    """Turn the model's date and sign-off constraints into field errors."""

    def clean(self):
        cleaned_data = super().clean()
        starts, ends = cleaned_data.get("starts_on"), cleaned_data.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "A workplan must end after it starts.")
        signed_off = (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)
        if cleaned_data.get("status") in signed_off and not cleaned_data.get(
            "signed_off_on"
        ):
            self.add_error(
                "signed_off_on", "Give the date a signed-off or closed plan was agreed."
            )
        return cleaned_data


class WorkplanPriorityInline(admin.TabularInline):
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
    """Offer only this workplan's own priorities."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "priority" in form.fields:
            priorities = WorkplanPriority.objects.none()
            if self.instance.pk:
                priorities = WorkplanPriority.objects.filter(workplan=self.instance)
            form.fields["priority"].queryset = priorities


class ActionInline(admin.TabularInline):
    """A compact view; open an action for its description, links and updates."""

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
            .select_related("priority", "lead_organisation")
        )


@admin.register(Workplan)
class WorkplanAdmin(RowVersionAdminMixin, SimpleHistoryAdmin):
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
        ("Sign-off", {"fields": ["status", "signed_off_on", "signed_off_at"]}),
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

    def save_formset(self, request, form, formset, change):
        if formset.model is Action:
            for action_form in formset.initial_forms:
                if action_form.has_changed():
                    action_form.instance.row_version += 1
        super().save_formset(request, form, formset, change)

    @admin.display(description="Priorities", ordering="n_priorities")
    def priority_count(self, obj):
        return obj.n_priorities

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions


@admin.register(WorkplanPriority)
class WorkplanPriorityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "workplan", "position", "action_count"]
    list_select_related = ["workplan__workstream"]
    list_filter = ["workplan__workstream", "workplan__year_label"]
    search_fields = ["title", "description", "workplan__workstream__name"]
    autocomplete_fields = ["workplan"]

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
