"""Admin for local targets and the log of data imports."""

import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin.forms import format_measure
from indicators.models import ImportRun, Target
from workstreams.admin.common import EMPTY


def tolerance_label(target: Target) -> str:
    if not target.amber_tolerance:
        return "None"
    if target.tolerance_is_percent:
        return f"{target.amber_tolerance:g}% of the target"
    return format_measure(target.amber_tolerance, target.indicator)


class TargetForm(forms.ModelForm):
    def clean_amber_tolerance(self):
        tolerance = self.cleaned_data["amber_tolerance"]
        if tolerance is not None and tolerance < 0:
            raise forms.ValidationError("The amber tolerance cannot be negative.")
        return tolerance


class TargetInline(admin.TabularInline):
    model = Target
    form = TargetForm
    fields = ["area", "period", "value", "amber_tolerance", "tolerance_is_percent"]
    autocomplete_fields = ["area", "period"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "period")


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    form = TargetForm
    list_display = ["indicator", "area", "period", "target", "tolerance", "note"]
    list_select_related = ["indicator", "area", "period"]
    list_filter = ["indicator__principle", "area__area_type", "period"]
    search_fields = ["indicator__name", "indicator__code", "area__name", "note"]
    autocomplete_fields = ["indicator", "area", "period"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["indicator", "area", "period"]}),
        (
            "Target",
            {"fields": ["value", "amber_tolerance", "tolerance_is_percent", "note"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="Target", ordering="value")
    def target(self, obj):
        return format_measure(obj.value, obj.indicator)

    @admin.display(description="Amber tolerance", ordering="amber_tolerance")
    def tolerance(self, obj):
        return tolerance_label(obj)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only log: imports are run with the management commands."""

    list_display = [
        "started_at",
        "kind",
        "file_name",
        "status",
        "rows_read",
        "values_created",
        "values_updated",
        "values_unchanged",
        "error_count",
        "started_by",
    ]
    list_select_related = ["started_by"]
    list_filter = ["kind", "status"]
    date_hierarchy = "started_at"
    search_fields = ["file_name", "=sha256"]
    readonly_fields = ["error_list"]
    exclude = ["errors"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Errors")
    def error_count(self, obj):
        return len(obj.errors or [])

    @admin.display(description="Errors")
    def error_list(self, obj):
        if not obj.errors:
            return EMPTY
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.errors, indent=2, ensure_ascii=False)
        )
