"""Admin for local targets (the import log: :mod:`indicators.admin.imports`)."""

from django import forms
from django.contrib import admin

from indicators.admin.forms import format_measure
from indicators.assessment import indicator_values_changed
from indicators.models import Target
from marmot.admin_helpers import HistoryAdmin


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
class TargetAdmin(HistoryAdmin):
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ids = {obj.indicator_id}
        if change and "indicator" in form.changed_data:
            ids.add(form.initial.get("indicator"))
        indicator_values_changed(indicator_ids=[i for i in ids if i])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        indicator_values_changed(indicator_ids=[obj.indicator_id])

    def delete_queryset(self, request, queryset):
        ids = set(queryset.values_list("indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        indicator_values_changed(indicator_ids=ids)

    @admin.display(description="Target", ordering="value")
    def target(self, obj):
        return format_measure(obj.value, obj.indicator)

    @admin.display(description="Amber tolerance", ordering="amber_tolerance")
    def tolerance(self, obj):
        return tolerance_label(obj)
