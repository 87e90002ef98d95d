"""Admin: "Check with the source" on published assessments and trends.

A filter and a column (:mod:`indicators.assessment.source_checks`): the
published judgements whose own published numbers contradict them, with the
reason. Both are worked out from the values as they are now; the column for
the rows of the page in one query, the filter over every candidate row.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList

from indicators.assessment.source_checks import (
    CHECKED_LABELS,
    CHECKED_RESULTS,
    assessment_source_checks,
    trend_source_checks,
)
from indicators.models import Assessment, Method

TITLE = "Check with the source"
YES, NO = "yes", "no"


def _checks(model, rows) -> dict[int, str]:
    if model is Assessment:
        return assessment_source_checks(rows)
    return trend_source_checks(rows)


def _candidates(model, queryset):
    if model is Assessment:
        return queryset.filter(
            method=Method.PUBLISHED, result__in=CHECKED_RESULTS
        ).select_related(
            "value__indicator", "value__area", "value__period", "benchmark_area"
        )
    return queryset.filter(label__in=CHECKED_LABELS).select_related(
        "value__indicator", "value__area", "value__period"
    )


class SourceCheckFilter(admin.SimpleListFilter):
    """Judgements the published numbers contradict (or do not)."""

    title = TITLE.lower()
    parameter_name = "check_with_source"

    def lookups(self, request, model_admin):
        return [
            (YES, "Published numbers disagree: check with the source"),
            (NO, "No disagreement found"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in (YES, NO):
            return queryset
        model = queryset.model
        flagged = list(_checks(model, _candidates(model, queryset)))
        if self.value() == YES:
            return queryset.filter(pk__in=flagged)
        return queryset.exclude(pk__in=flagged)


class SourceCheckChangeList(ChangeList):
    """Works out the page's checks in one go, for the column."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        checks = _checks(self.model, rows)
        for row in rows:
            row.source_check = checks.get(row.pk, "")


class SourceCheckAdminMixin:
    """Adds the filter and the "Check with the source" column."""

    def get_changelist(self, request, **kwargs):
        return SourceCheckChangeList

    @admin.display(description=TITLE)
    def check_with_source(self, obj):
        return getattr(obj, "source_check", "") or "—"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "source_check_reason"]

    @admin.display(description=TITLE)
    def source_check_reason(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        model = type(obj)
        rows = list(_candidates(model, model.objects.filter(pk=obj.pk)))
        return _checks(model, rows).get(obj.pk) or "No disagreement found"
