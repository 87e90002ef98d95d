"""Admin for the programme as a whole: system programmes and their
deliverables, the programme's next steps, its timeline and its evaluation.

Officers track deliverables and next steps like actions (status, RAG, lead,
progress note) and extend the timeline here. Deliverables and next steps are
saved through `workstreams.services.achievements`, as the loader writes them.
"""

from django import forms
from django.contrib import admin
from django.db import models

from marmot.admin_helpers import HistoryAdmin, subquery_count, truncate
from workstreams.models import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    SystemProgramme,
)
from workstreams.services import achievements as services

SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4})}}


@admin.register(SystemProgramme)
class SystemProgrammeAdmin(HistoryAdmin):
    list_display = ["name", "deliverable_count", "display_order"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = SHORT_TEXT

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_deliverables=subquery_count(ProgrammeAction, "programme"))
        )

    @admin.display(description="Deliverables", ordering="n_deliverables")
    def deliverable_count(self, obj):
        return obj.n_deliverables


@admin.register(ProgrammeAction)
class ProgrammeActionAdmin(HistoryAdmin):
    list_display = [
        "summary",
        "kind",
        "programme",
        "lead_organisation",
        "status",
        "rag",
        "due",
    ]
    list_display_links = ["summary"]
    list_select_related = ["programme", "lead_organisation"]
    list_filter = ["kind", "programme", "status", "rag"]
    search_fields = ["title", "lead_person", "progress_note"]
    autocomplete_fields = ["lead_organisation"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = SHORT_TEXT
    fieldsets = [
        (None, {"fields": ["kind", "programme", "title", "position"]}),
        (
            "Tracking",
            {
                "fields": [
                    "status",
                    "rag",
                    "lead_organisation",
                    "lead_person",
                    "progress_note",
                    "due_date",
                    "due_label",
                    "completed_on",
                ]
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="Deliverable or next step", ordering="title")
    def summary(self, obj):
        return truncate(obj.title, 100)

    @admin.display(description="Due", ordering="due_date")
    def due(self, obj):
        return obj.due_date or obj.due_label or "—"

    def save_model(self, request, obj, form, change):
        """Through the services, as the loader (the form has checked it)."""
        fields = {
            name: form.cleaned_data[name]
            for name in services.PROGRAMME_ACTION_FIELDS
            if name in form.cleaned_data
        }
        if change:
            saved = services.programme_action_update(
                programme_action=obj,
                title=form.cleaned_data["title"],
                programme=form.cleaned_data["programme"],
                kind=form.cleaned_data["kind"],
                **fields,
            )
        else:
            saved = services.programme_action_upsert(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                programme=form.cleaned_data["programme"],
                **fields,
            )
        obj.pk = saved.pk


@admin.register(ProgrammeMilestone)
class ProgrammeMilestoneAdmin(HistoryAdmin):
    list_display = ["label", "starts_on", "ends_on", "precision", "summary"]
    list_filter = ["precision", "is_highlight"]
    search_fields = ["label", "items"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = SHORT_TEXT

    @admin.display(description="What happened or is planned")
    def summary(self, obj):
        return truncate("; ".join(obj.item_list), 100)


@admin.register(EvaluationFinding)
class EvaluationFindingAdmin(HistoryAdmin):
    list_display = ["position", "kind", "summary"]
    list_display_links = ["summary"]
    list_filter = ["kind"]
    search_fields = ["text", "details"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = SHORT_TEXT

    @admin.display(description="Text", ordering="text")
    def summary(self, obj):
        return truncate(obj.text, 100)
