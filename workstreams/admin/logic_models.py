"""Admin for versioned logic models and their items."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Case, IntegerField, Value, When

from marmot.admin_helpers import (
    CompactTextareasMixin,
    HistoryAdmin,
    names,
    subquery_count,
    truncate,
)
from workstreams.models import Action, LogicModel, LogicModelItem

# Items read in the order of the chain (assumptions → outcomes), not A–Z.
KIND_ORDER = Case(
    *[
        When(kind=kind, then=Value(index))
        for index, kind in enumerate(LogicModelItem.Kind.values)
    ],
    output_field=IntegerField(),
)


class LogicModelItemForm(CompactTextareasMixin, forms.ModelForm):
    textarea_rows = {"text": 2}

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        indicators = cleaned_data.get("indicators")
        if (
            kind
            and indicators
            and indicators.exists()
            and kind not in LogicModelItem.LINKS_TO_INDICATORS
        ):
            self.add_error(
                "indicators", "Only outputs and outcomes are measured by indicators."
            )
        return cleaned_data


class LogicModelItemInline(admin.TabularInline):
    model = LogicModelItem
    form = LogicModelItemForm
    fields = ["kind", "position", "text", "indicators"]
    autocomplete_fields = ["indicators"]
    extra = 1
    verbose_name = "item"
    verbose_name_plural = "items (assumptions, inputs, activities, outputs, outcomes)"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("indicators")
            .order_by(KIND_ORDER, "position", "id")
        )


@admin.register(LogicModel)
class LogicModelAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "workstream",
        "version",
        "status",
        "dated",
        "item_count",
        "updated_at",
    ]
    list_select_related = ["workstream"]
    list_filter = ["status", "workstream"]
    search_fields = ["workstream__name", "hypothesis", "context", "barriers"]
    autocomplete_fields = ["workstream"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LogicModelItemInline]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}
    }
    fieldsets = [
        (None, {"fields": ["workstream", "version", "status", "dated"]}),
        ("Theory of change", {"fields": ["hypothesis", "context", "barriers"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("workstream")
            .annotate(n_items=subquery_count(LogicModelItem, "logic_model"))
        )

    @admin.display(description="Items", ordering="n_items")
    def item_count(self, obj):
        return obj.n_items


@admin.register(LogicModelItem)
class LogicModelItemAdmin(HistoryAdmin):
    form = LogicModelItemForm
    list_display = [
        "summary",
        "kind_display",
        "logic_model",
        "position",
        "indicator_names",
        "action_count",
    ]
    list_select_related = ["logic_model__workstream"]
    list_filter = ["kind", "logic_model__status", "logic_model__workstream"]
    search_fields = ["text", "logic_model__workstream__name"]
    autocomplete_fields = ["logic_model", "indicators"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("logic_model__workstream")
            .prefetch_related("indicators")
            .annotate(
                n_actions=subquery_count(Action.activities.through, "logicmodelitem")
            )
        )

    @admin.display(description="Item", ordering="text")
    def summary(self, obj):
        return truncate(obj.text)

    @admin.display(description="Kind", ordering=KIND_ORDER)
    def kind_display(self, obj):
        return obj.get_kind_display()

    @admin.display(description="Indicators")
    def indicator_names(self, obj):
        return names(obj.indicators.all())

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions
