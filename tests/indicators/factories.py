"""factory-boy factories for the indicators app."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from indicators import models
from indicators.periods import period_sort_key


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = models.Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.Sequence(lambda n: f"Area {n}")
    area_type = models.Area.Type.LOCAL_AUTHORITY


class PeriodFactory(DjangoModelFactory):
    class Meta:
        model = models.Period
        django_get_or_create = ("label",)

    label = factory.Sequence(lambda n: str(2000 + n))
    kind = models.Period.Kind.CALENDAR_YEAR
    starts_on = factory.LazyAttribute(lambda o: dt.date(int(o.label[:4]), 1, 1))
    ends_on = factory.LazyAttribute(lambda o: dt.date(int(o.label[:4]), 12, 31))
    sort_key = factory.LazyAttribute(lambda o: period_sort_key(o.starts_on, o.ends_on))


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = models.Indicator

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    value_type = models.Indicator.ValueType.PROPORTION
    unit = "%"
    multiplier = 100
    polarity = models.Indicator.Polarity.LOW_IS_GOOD
    principle = factory.SubFactory("tests.workstreams.factories.MarmotPrincipleFactory")
    kind = models.Indicator.Kind.OUTCOME


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    period = factory.SubFactory(PeriodFactory)
    value = 40.0
    lower95 = 38.0
    upper95 = 42.0
    count = 400
    denominator = 1000


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = models.Assessment

    value = factory.SubFactory(IndicatorValueFactory)
    benchmark = models.Assessment.Benchmark.NATIONAL
    result = models.Assessment.Result.WORSE
    method = models.Method.PUBLISHED
    published_text = "R"


class TrendFactory(DjangoModelFactory):
    class Meta:
        model = models.Trend

    value = factory.SubFactory(IndicatorValueFactory)
    label = models.Trend.Label.NO_SIGNIFICANT_CHANGE
    method = models.Method.PUBLISHED
    published_text = "Comparable"


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = models.Target

    indicator = factory.SubFactory(IndicatorFactory)
    area = factory.SubFactory(AreaFactory)
    period = factory.SubFactory(PeriodFactory)
    value = 30.0
    amber_tolerance = 2.0


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = models.ImportRun

    kind = models.ImportRun.Kind.FINGERTIPS
    file_name = factory.Sequence(lambda n: f"fingertips-{n}.csv")
    status = models.ImportRun.Status.SUCCEEDED
    rows_read = 120
    values_created = 100
    values_updated = 15
    values_unchanged = 5
