"""Admin for indicator values and the assessments and trends attached to them."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import path

from indicators.admin.downloads import (
    fingertips_csv_response,
    fingertips_xlsx_response,
)
from indicators.admin.forms import (
    IndicatorValueForm,
    ManualJudgementForm,
    breakdown_label,
    format_interval,
    format_measure,
)
from indicators.admin.source_checks import SourceCheckAdminMixin, SourceCheckFilter
from indicators.assessment import indicator_values_changed
from indicators.models import Assessment, IndicatorValue, Method, Trend
from marmot.admin_helpers import EMPTY, HistoryAdmin, RowVersionAdminMixin, truncate

VALUE_RELATIONS = ["value__indicator", "value__area", "value__period"]


def judgement_marker(judgement) -> str:
    notes = []
    if judgement.method == Method.MANUAL:
        notes.append("set by hand")
    if judgement.disagrees_with_published:
        notes.append("differs from published")
    return f" ({', '.join(notes)})" if notes else ""


class BreakdownFilter(admin.SimpleListFilter):
    title = "breakdown"
    parameter_name = "breakdown"

    def lookups(self, request, model_admin):
        return [("none", "Whole population"), ("any", "Breakdowns only")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(category_type="", sex="", age="")
        if self.value() == "any":
            return queryset.exclude(category_type="", sex="", age="")
        return queryset


class ManualJudgementAdminMixin:
    """Record who set a judgement by hand."""

    form = ManualJudgementForm
    readonly_fields = ["set_by", "assessed_at"]

    def save_model(self, request, obj, form, change):
        if obj.method == Method.MANUAL:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "value":
            # The value's label names its indicator, area and period.
            kwargs["queryset"] = IndicatorValue.objects.select_related(
                "indicator", "area", "period"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AssessmentInline(admin.TabularInline):
    model = Assessment
    form = ManualJudgementForm
    fields = [
        "benchmark",
        "benchmark_area",
        "result",
        "level",
        "method",
        "published_text",
        "reason",
        "set_by",
    ]
    readonly_fields = ["set_by"]
    autocomplete_fields = ["benchmark_area"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("widgets", {"reason": forms.Textarea(attrs={"rows": 1})})
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("benchmark_area", "set_by")
            .order_by("benchmark", "method")
        )


class TrendInline(admin.TabularInline):
    model = Trend
    form = ManualJudgementForm
    fields = ["label", "method", "published_text", "reason", "set_by"]
    readonly_fields = ["set_by"]
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("widgets", {"reason": forms.Textarea(attrs={"rows": 1})})
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("set_by").order_by("method")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(RowVersionAdminMixin, HistoryAdmin):
    form = IndicatorValueForm
    change_list_template = "admin/indicators/indicatorvalue/change_list.html"
    actions = ["download_fingertips_csv", "download_fingertips_xlsx"]
    list_display = [
        "indicator",
        "area",
        "period",
        "breakdown",
        "formatted_value",
        "interval",
        "assessment_summary",
        "trend_summary",
    ]
    list_select_related = ["indicator", "area", "period"]
    list_filter = [
        "indicator__principle",
        "indicator__kind",
        "area__area_type",
        "period__kind",
        "period",
        BreakdownFilter,
        "assessments__method",
    ]
    date_hierarchy = "release_date"
    search_fields = [
        "indicator__name",
        "indicator__code",
        "area__name",
        "=area__code",
        "=period__label",
        "category",
    ]
    autocomplete_fields = ["indicator", "area", "period"]
    readonly_fields = ["method", "created_at", "updated_at"]
    inlines = [AssessmentInline, TrendInline]
    fieldsets = [
        (None, {"fields": ["indicator", "area", "period"]}),
        ("Breakdown", {"fields": ["category_type", "category", "sex", "age"]}),
        (
            "Value",
            {
                "fields": [
                    "value",
                    ("lower95", "upper95"),
                    ("lower998", "upper998"),
                    ("count", "denominator"),
                    "method",
                    "published_text",
                    "value_note",
                ]
            },
        ),
        ("Source", {"fields": ["source", "release_date"]}),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # select_related here too: autocompletes list values by their full label.
        return (
            super()
            .get_queryset(request)
            .select_related("indicator", "area", "period")
            .prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=Assessment.objects.order_by("benchmark", "method"),
                ),
                Prefetch("trends", queryset=Trend.objects.order_by("method")),
            )
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "download/<str:file_format>/",
                wrap(self.download_view),
                name="indicators_indicatorvalue_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, file_format: str):
        """The whole changelist as filtered and searched, in Fingertips' columns."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if file_format not in ("csv", "xlsx"):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        if file_format == "csv":
            return fingertips_csv_response(queryset)
        return fingertips_xlsx_response(queryset)

    @admin.action(description="Download selected as Fingertips CSV")
    def download_fingertips_csv(self, request, queryset):
        return fingertips_csv_response(queryset)

    @admin.action(description="Download selected as Fingertips XLSX")
    def download_fingertips_xlsx(self, request, queryset):
        return fingertips_xlsx_response(queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        ids = {form.instance.indicator_id}
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

    def save_formset(self, request, form, formset, change):
        if formset.model in (Assessment, Trend):
            for judgement_form in formset.forms:
                cleaned = getattr(judgement_form, "cleaned_data", {})
                if (
                    judgement_form.has_changed()
                    and cleaned.get("method") == Method.MANUAL
                ):
                    judgement_form.instance.set_by = request.user
        super().save_formset(request, form, formset, change)

    @admin.display(description="Breakdown", ordering="category_type")
    def breakdown(self, obj):
        return breakdown_label(obj)

    @admin.display(description="Value", ordering="value")
    def formatted_value(self, obj):
        if obj.value is None:
            return obj.published_text or obj.value_note or EMPTY
        return format_measure(obj.value, obj.indicator)

    @admin.display(description="95% interval")
    def interval(self, obj):
        return format_interval(obj.lower95, obj.upper95, obj.indicator)

    @admin.display(description="Assessments")
    def assessment_summary(self, obj):
        return (
            "; ".join(
                f"{a.get_benchmark_display()}: {a.get_result_display()}"
                f"{judgement_marker(a)}"
                for a in obj.assessments.all()
            )
            or EMPTY
        )

    @admin.display(description="Trend")
    def trend_summary(self, obj):
        return (
            "; ".join(f"{t.label}{judgement_marker(t)}" for t in obj.trends.all())
            or EMPTY
        )


@admin.register(Assessment)
class AssessmentAdmin(SourceCheckAdminMixin, ManualJudgementAdminMixin, HistoryAdmin):
    list_display = [
        "value",
        "benchmark",
        "benchmark_area",
        "result",
        "level",
        "method",
        "disagrees_with_published",
        "check_with_source",
        "set_by",
        "assessed_at",
    ]
    list_select_related = [*VALUE_RELATIONS, "benchmark_area", "set_by"]
    list_filter = [
        "benchmark",
        "result",
        "method",
        "disagrees_with_published",
        SourceCheckFilter,
        "value__indicator__principle",
        "value__period",
    ]
    search_fields = [
        "value__indicator__name",
        "value__indicator__code",
        "value__area__name",
        "reason",
        "explanation",
    ]
    autocomplete_fields = ["value", "benchmark_area"]
    fieldsets = [
        (None, {"fields": ["value", "benchmark", "benchmark_area"]}),
        (
            "Result",
            {
                "fields": [
                    "result",
                    "level",
                    "published_text",
                    "disagrees_with_published",
                    "source_check_reason",
                    "explanation",
                ]
            },
        ),
        ("How it was set", {"fields": ["method", "reason", "set_by", "assessed_at"]}),
    ]


@admin.register(Trend)
class TrendAdmin(SourceCheckAdminMixin, ManualJudgementAdminMixin, HistoryAdmin):
    list_display = [
        "value",
        "label",
        "method",
        "disagrees_with_published",
        "check_with_source",
        "reason_summary",
        "set_by",
        "assessed_at",
    ]
    list_select_related = [*VALUE_RELATIONS, "set_by"]
    list_filter = [
        "label",
        "method",
        "disagrees_with_published",
        SourceCheckFilter,
        "value__indicator__principle",
    ]
    search_fields = [
        "value__indicator__name",
        "value__indicator__code",
        "value__area__name",
        "reason",
        "explanation",
    ]
    autocomplete_fields = ["value"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "value",
                    "label",
                    "published_text",
                    "disagrees_with_published",
                    "source_check_reason",
                    "explanation",
                ]
            },
        ),
        ("How it was set", {"fields": ["method", "reason", "set_by", "assessed_at"]}),
    ]

    @admin.display(description="Reason")
    def reason_summary(self, obj):
        return truncate(obj.reason)
