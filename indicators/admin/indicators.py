"""Admin for indicators, with a read-only glimpse of their latest values."""

from django import forms
from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from indicators.admin.forms import breakdown_label, format_interval, format_measure
from indicators.admin.targets import TargetInline
from indicators.assessment import indicator_values_changed
from indicators.freshness import FreshnessStatus, indicator_freshness
from indicators.models import Indicator, IndicatorValue, Period, Target
from marmot.admin_helpers import (
    EMPTY,
    HistoryAdmin,
    ReadableLabelsMixin,
    RowVersionAdminMixin,
    names,
    subquery_count,
)

LATEST_VALUES_SHOWN = 20
LATEST_FIELDS = (
    "latest_period_label",
    "latest_period_ends_on",
    "latest_release_date",
    "latest_source",
)


class LatestValuesFormSet(BaseInlineFormSet):
    """Only the most recent values: an indicator can have thousands."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            self._queryset = self.queryset.order_by(
                "-period__sort_key", "area__name", "category_type", "category", "pk"
            )[:LATEST_VALUES_SHOWN]
        return self._queryset


class LatestValuesInline(admin.TabularInline):
    """Read-only; values are edited in their own admin (see "All values")."""

    model = IndicatorValue
    formset = LatestValuesFormSet
    fields = ["period", "area", "breakdown", "formatted_value", "interval"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = "latest value"
    verbose_name_plural = f"latest values (at most {LATEST_VALUES_SHOWN})"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area", "period")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Breakdown")
    def breakdown(self, obj):
        return breakdown_label(obj)

    @admin.display(description="Value")
    def formatted_value(self, obj):
        return format_measure(obj.value, obj.indicator)

    @admin.display(description="95% interval")
    def interval(self, obj):
        return format_interval(obj.lower95, obj.upper95, obj.indicator)


def latest_value(indicator: Indicator) -> IndicatorValue | None:
    """The latest value, rebuilt from the changelist's annotations (no query)."""
    if indicator.latest_period_label is None:
        return None
    period = Period(
        label=indicator.latest_period_label, ends_on=indicator.latest_period_ends_on
    )
    return IndicatorValue(
        indicator=indicator,
        period=period,
        release_date=indicator.latest_release_date,
        source=indicator.latest_source or "",
    )


def freshness_of(indicator: Indicator):
    return indicator_freshness(
        indicator, latest_value(indicator), today=timezone.localdate()
    )


class FreshnessFilter(admin.SimpleListFilter):
    """Fresh, due or stale: one query over the annotated list, whatever its size."""

    title = "freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [(status.value, status.value.capitalize()) for status in FreshnessStatus]

    def queryset(self, request, queryset):
        wanted = self.value()
        if wanted not in set(FreshnessStatus):
            return queryset
        fields = ("expected_next_release", "update_frequency", *LATEST_FIELDS)
        ids = [
            indicator.pk
            for indicator in queryset.only("pk", *fields[:2])
            if freshness_of(indicator).status == wanted
        ]
        return queryset.filter(pk__in=ids)


@admin.register(Indicator)
class IndicatorAdmin(ReadableLabelsMixin, RowVersionAdminMixin, HistoryAdmin):
    # What an officer scans; the kind of value, unit and polarity are on
    # each measure's page (the list fits a 1280-pixel window).
    list_display = [
        "name",
        "code",
        "principle_label",
        "kind",
        "is_published",
        "workstream_names",
        "value_count",
        "latest_period",
        "freshness",
    ]
    list_select_related = ["principle"]
    list_filter = [
        FreshnessFilter,
        "principle",
        "kind",
        "value_type",
        "polarity",
        "update_frequency",
        "is_published",
        "workstreams",
    ]
    search_fields = [
        "name",
        "code",
        "published_name",
        "source",
        "fingertips_id__exact",
    ]
    readonly_fields = ["created_at", "updated_at", "all_values_link"]
    inlines = [TargetInline, LatestValuesInline]
    field_labels = {
        "principle": "Marmot principle",
        "fingertips_id": "Fingertips indicator ID",
        "is_published": "Published on the site",
        "display_decimals": "Decimal places shown",
    }
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "code",
                    "published_name",
                    "definition",
                    "numerator_definition",
                    "denominator_definition",
                    "kind",
                    "principle",
                ]
            },
        ),
        (
            "Measure",
            {
                "fields": [
                    "value_type",
                    ("unit", "multiplier"),
                    "polarity",
                    "display_decimals",
                ]
            },
        ),
        (
            "Source and publication",
            {
                "fields": [
                    "source",
                    "fingertips_id",
                    "update_frequency",
                    "expected_next_release",
                    "is_published",
                    "display_order",
                ]
            },
        ),
        ("Record", {"fields": ["all_values_link", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by(
            "-period__sort_key", "-period__ends_on", "pk"
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related("workstreams")
            .annotate(
                n_values=subquery_count(IndicatorValue, "indicator"),
                latest_period_label=Subquery(latest.values("period__label")[:1]),
                latest_period_ends_on=Subquery(latest.values("period__ends_on")[:1]),
                latest_release_date=Subquery(latest.values("release_date")[:1]),
                latest_source=Subquery(latest.values("source")[:1]),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in (
            "definition",
            "numerator_definition",
            "denominator_definition",
        ):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Principle", ordering="principle__number")
    def principle_label(self, obj):
        if obj.principle is None:
            return "Overarching"
        return obj.principle.short_title or f"Principle {obj.principle.number}"

    @admin.display(description="Workstreams")
    def workstream_names(self, obj):
        return names(obj.workstreams.all())

    @admin.display(description="Values", ordering="n_values")
    def value_count(self, obj):
        return obj.n_values

    @admin.display(description="Latest period")
    def latest_period(self, obj):
        return obj.latest_period_label or EMPTY

    @admin.display(description="Freshness")
    def freshness(self, obj):
        if not hasattr(obj, "latest_period_label"):
            return EMPTY
        return freshness_of(obj).status.value

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        targets_changed = any(
            formset.model is Target and formset.has_changed() for formset in formsets
        )
        if "polarity" in form.changed_data or targets_changed:
            indicator_values_changed(indicator_ids=[form.instance.pk])

    @admin.display(description="All values")
    def all_values_link(self, obj):
        if obj.pk is None:
            return EMPTY
        url = reverse("admin:indicators_indicatorvalue_changelist")
        return format_html(
            '<a href="{}?indicator__id__exact={}">See all {} values</a>',
            url,
            obj.pk,
            obj.n_values if hasattr(obj, "n_values") else obj.values.count(),
        )
