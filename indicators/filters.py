"""django-filter FilterSets for indicators, shared by the API and the pages.

Each filter adds conditions to the one query that lists the rows, so a filtered
list costs the same number of queries as an unfiltered one (the period range
resolves its labels inside that query, as a subquery). A period bound that is
neither a label we can parse nor a sort key is a form error (a 400 in the API),
not an empty list.
"""

import re
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from indicators.assessment.judgements import NO_OPINION_RESULTS
from indicators.links import link_rows
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Method,
    Period,
    Trend,
)
from indicators.periods import (
    MAX_YEAR,
    MIN_YEAR,
    PeriodLabelError,
    parse_period_label,
)
from marmot.api.query import MINE, WORKSTREAM_WORDING, workstream_lookup
from marmot.whole_numbers import whole_number

OVERARCHING = "overarching"
WHOLE_POPULATION = "none"

#: The dashboard's ``trend`` filter: value -> what it reads as.
TRENDS = {
    "better": "Getting better",
    "worse": "Getting worse",
    "no_change": "No significant change",
    "not_calculated": "Not calculated",
}
TRENDS_ACCEPTED = "better, worse, no_change or not_calculated"


def trend_group(trend: Trend | None) -> str | None:
    """Which ``trend`` filter value the trend shown for a value falls in.

    ``better``/``worse``: a label in ``Trend.BETTER_LABELS``/``WORSE_LABELS``;
    ``no_change``: "No significant change"; ``not_calculated``: "Cannot be
    calculated" or no trend at all. A direction without a judgement
    ("Increasing", for a measure with no better direction) is in none.
    """
    label = trend.label if trend is not None else None
    if label in Trend.BETTER_LABELS:
        return "better"
    if label in Trend.WORSE_LABELS:
        return "worse"
    if label == Trend.Label.NO_SIGNIFICANT_CHANGE:
        return "no_change"
    if label in (None, "", Trend.Label.CANNOT_BE_CALCULATED):
        return "not_calculated"
    return None


EFFECTIVE = "effective"
ANY = "any"


def principle_condition(value: str, prefix: str = "", field: str = "principle") -> Q:
    """Principle number, or "overarching" for rows without one."""
    value = (value or "").strip().lower()
    if value == OVERARCHING:
        return Q(**{f"{prefix}{field}__isnull": True})
    number = whole_number(value)
    if number is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}{field}__number": number})


PRINCIPLE_NUMBERS = range(1, 9)
PRINCIPLE_WORDING = (
    'A Marmot principle\'s number (1-8), or "overarching" for those linked to '
    "no principle. Anything else is a 400."
)
PERIOD_WORDING = 'A period label, such as "2021/22" or "2026/27 Q2".'
PERIOD_BOUND_WORDING = (
    f"{PERIOD_WORDING[:-1]}, or a period sort key (nine digits, e.g. "
    "202203987 for 2021/22); anything else is a 400."
)


class PrincipleField(forms.CharField):
    def clean(self, value):
        text = (super().clean(value) or "").strip().lower()
        if not text:
            return None
        if text == OVERARCHING or whole_number(text) in PRINCIPLE_NUMBERS:
            return text
        raise forms.ValidationError(
            'Give a principle number from 1 to 8, or "overarching".'
        )


class PrincipleNumberFilter(django_filters.CharFilter):
    """``?principle=``: a principle number (1-8) or "overarching" (rows with
    no principle); ``field_name`` the relation to the principle (a foreign
    key or a many-to-many)."""

    field_class = PrincipleField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "principle")
        kwargs.setdefault("help_text", PRINCIPLE_WORDING)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(principle_condition(value, field=self.field_name))


class AreaFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(
        field_name="area_type", choices=Area.Type.choices, label="Area type"
    )
    parent = django_filters.CharFilter(
        field_name="parent__code", label="Code of the parent area"
    )

    class Meta:
        model = Area
        fields = ["type", "parent"]


class PeriodFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Period.Kind.choices)

    class Meta:
        model = Period
        fields = ["kind"]


class IndicatorFilter(django_filters.FilterSet):
    principle = PrincipleNumberFilter()
    workstream = django_filters.CharFilter(
        method="filter_workstream", help_text=WORKSTREAM_WORDING
    )
    kind = django_filters.ChoiceFilter(choices=Indicator.Kind.choices)

    class Meta:
        model = Indicator
        fields = ["principle", "workstream", "kind"]

    def filter_workstream(self, queryset, name, value):
        # A subquery rather than a join: no duplicate rows, no DISTINCT needed.
        lookup = workstream_lookup(value, self.request)
        members = link_rows().filter(
            **{f"workstream__{key}": each for key, each in lookup.items()}
        )
        return queryset.filter(pk__in=members.values("indicator_id"))


@dataclass(frozen=True)
class PeriodBound:
    """One end of a period range: a label (looked up in the query, falling
    back to its parsed sort key) or a sort key."""

    sort_key: int | None
    label: str | None = None

    def expression(self):
        fallback = Value(self.sort_key, output_field=IntegerField())
        if self.label is None:
            return fallback
        by_label = Subquery(
            Period.objects.filter(label=self.label).values("sort_key")[:1]
        )
        return Coalesce(by_label, fallback)


SORT_KEY = re.compile(r"^\d{9}$")


class PeriodBoundField(forms.CharField):
    """A period label in a form ``indicators.periods`` accepts, or a sort key
    (nine digits, ``indicators.periods.period_sort_key``); anything else is a
    field error naming both."""

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return None
        if SORT_KEY.match(text):
            return PeriodBound(sort_key=int(text))
        try:
            return PeriodBound(sort_key=parse_period_label(text).sort_key, label=text)
        except PeriodLabelError as error:
            if Period.objects.filter(label=text).exists():  # made by hand
                return PeriodBound(sort_key=None, label=text)
            # The message quotes the visitor's text, which may hold "%":
            # django-filter %-formats messages, so it goes in as a param.
            raise forms.ValidationError(
                "%(message)s",
                params={
                    "message": f"{error} Or give a period sort key: nine digits, "
                    "the year and month the period ends (YYYYMM) then 999 minus "
                    "its length in months (e.g. 202203987 for 2021/22)."
                },
            ) from error


class PeriodBoundFilter(django_filters.CharFilter):
    field_class = PeriodBoundField


def effective_result(benchmark: str) -> Subquery:
    """The effective assessment's result for one benchmark, as a subquery.

    Same precedence as :func:`indicators.selectors.assessment_effective`:
    manual, then computed with an opinion, published with an opinion, computed
    without, published without.
    """
    no_opinion = Q(result__in=list(NO_OPINION_RESULTS))
    rank = Case(
        When(method=Method.MANUAL, then=Value(0)),
        When(~no_opinion & Q(method=Method.COMPUTED), then=Value(1)),
        When(~no_opinion & Q(method=Method.PUBLISHED), then=Value(2)),
        When(method=Method.COMPUTED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    rows = (
        Assessment.objects.filter(value=OuterRef("pk"), benchmark=benchmark)
        .annotate(rank=rank)
        .order_by("rank", "pk")
        .values("result")[:1]
    )
    return Subquery(rows)


class IndicatorValueFilter(django_filters.FilterSet):
    indicator = django_filters.CharFilter(
        field_name="indicator__code", label="Indicator code"
    )
    area = django_filters.CharFilter(field_name="area__code", label="Area code")
    area_type = django_filters.ChoiceFilter(
        field_name="area__area_type", choices=Area.Type.choices
    )
    period_from = PeriodBoundFilter(
        method="filter_period_from",
        help_text=f"The first period: {PERIOD_BOUND_WORDING}",
    )
    period_to = PeriodBoundFilter(
        method="filter_period_to",
        help_text=f"The last period: {PERIOD_BOUND_WORDING}",
    )
    category_type = django_filters.CharFilter(
        method="filter_category_type",
        label='Breakdown type; "none" for the whole population',
    )
    category = django_filters.CharFilter(label="Breakdown category")
    sex = django_filters.CharFilter()
    age = django_filters.CharFilter()
    assessment_result = django_filters.ChoiceFilter(
        method="filter_assessment",
        choices=Assessment.Result.choices,
        label="Values assessed with this result",
    )
    assessment_benchmark = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=Assessment.Benchmark.choices,
        label="Benchmark of assessment_result (default: any benchmark)",
    )
    assessment_scope = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=[(EFFECTIVE, "The effective assessment"), (ANY, "Any assessment")],
        label="Match the effective assessment (default) or any of them",
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "area",
            "area_type",
            "period_from",
            "period_to",
            "category_type",
            "category",
            "sex",
            "age",
            "assessment_result",
            "assessment_benchmark",
            "assessment_scope",
        ]

    def filter_period_from(self, queryset, name, value: PeriodBound):
        return queryset.filter(period__sort_key__gte=value.expression())

    def filter_period_to(self, queryset, name, value: PeriodBound):
        return queryset.filter(period__sort_key__lte=value.expression())

    def filter_category_type(self, queryset, name, value):
        if value.strip().lower() == WHOLE_POPULATION:
            return queryset.filter(category_type="")
        return queryset.filter(category_type=value)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_assessment

    def filter_assessment(self, queryset, name, value):
        data = self.form.cleaned_data
        benchmark = data.get("assessment_benchmark") or None
        benchmarks = [benchmark] if benchmark else list(Assessment.Benchmark.values)
        if data.get("assessment_scope") == ANY:
            rows = Assessment.objects.filter(result=value, benchmark__in=benchmarks)
            return queryset.filter(pk__in=rows.values("value_id"))
        condition = Q()
        for each in benchmarks:
            condition |= Q(**{f"_effective_{each}": value})
        annotations = {f"_effective_{b}": effective_result(b) for b in benchmarks}
        return queryset.alias(**annotations).filter(condition)


def _date_in_period_years(day) -> None:
    """Dates a period can be labelled in: the KPIs' calendar and freshness
    reckon from ``today``, and years outside these have no period labels."""
    if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR - 1:
        raise forms.ValidationError(
            f"Enter a date between {MIN_YEAR} and {MAX_YEAR - 1}."
        )


def _not_mine(value: str) -> None:
    """The dashboard reads its filters without the request (the page's
    selector), so ``mine`` cannot be answered there: say so, not an empty
    dashboard."""
    if value and value.strip().lower() == MINE:
        raise forms.ValidationError(
            "The dashboard takes a workstream's slug; workstream=mine works on "
            "the lists (indicators/, actions/, ...)."
        )


class DashboardFilter(IndicatorFilter):
    """The dashboard's options: indicator filters in the query, the rest after.

    ``comparator``, ``assessment_result`` and ``trend`` apply to the loaded
    entries (see :meth:`entries`), since the effective assessment and trend of
    the latest value (ADR 9) are decided by
    :func:`indicators.selectors.indicator_latest_values`.
    """

    COMPARATORS = (
        Assessment.Benchmark.NATIONAL,
        Assessment.Benchmark.REGION,
        Assessment.Benchmark.NEAREST_NEIGHBOURS,
    )
    RESULTS = tuple(Assessment.Result.values)

    comparator = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=[(c.value, c.label) for c in COMPARATORS],
        label="Show only this benchmark",
    )
    assessment_result = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=Assessment.Result.choices,
        label="Effective assessment result",
    )
    trend = django_filters.ChoiceFilter(
        method="filter_noop",
        choices=list(TRENDS.items()),
        label="The latest value's trend, as the dashboard shows it",
        error_messages={
            "invalid_choice": f"Choose a trend: {TRENDS_ACCEPTED} "
            '("%(value)s" is not one of them).'
        },
    )
    workstream = django_filters.CharFilter(
        method="filter_workstream",
        help_text="A workstream's slug.",
        validators=[_not_mine],
    )
    today = django_filters.DateFilter(
        method="filter_noop",
        label="Judge freshness on",
        input_formats=["%Y-%m-%d"],  # one form, YYYY-MM-DD (ADR 0041)
        validators=[_date_in_period_years],
    )

    class Meta(IndicatorFilter.Meta):
        fields = [
            *IndicatorFilter.Meta.fields,
            "comparator",
            "assessment_result",
            "trend",
        ]

    def filter_noop(self, queryset, name, value):
        return queryset

    @staticmethod
    def _has_result(entry, result: str) -> bool:
        """Whether ``entry`` has an assessment with ``result``. A measure with
        no assessment at all (against the comparator kept) is "not compared",
        as the tile and the overview say."""
        if result == Assessment.Result.NOT_COMPARED and not entry.assessments:
            return True
        return any(a.result == result for a in entry.assessments.values())

    @classmethod
    def entries(
        cls,
        entries: list,
        comparator: str | None,
        result: str | None,
        trend: str | None = None,
    ):
        """Keep the entries matching ``result`` (against ``comparator``, or any
        benchmark) and ``trend`` (see :func:`trend_group`); show only
        ``comparator``."""
        if comparator:
            for entry in entries:
                entry.benchmark_values = {
                    comparator: entry.benchmark_values.get(comparator)
                }
                entry.assessments = {
                    b: a for b, a in entry.assessments.items() if b == comparator
                }
        if result:
            entries = [e for e in entries if cls._has_result(e, result)]
        if trend:
            entries = [e for e in entries if trend_group(e.trend) == trend]
        return entries
