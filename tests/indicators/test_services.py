"""Indicators services: areas, periods, indicators, values and published judgements."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from indicators import services
from indicators.models import Area, Assessment, Indicator, IndicatorValue, Period, Trend
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.workstreams.factories import MarmotPrincipleFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


def test_period_get_or_create_derives_the_period_from_its_label():
    period = services.period_get_or_create(label="2019/20 - 21/22")

    assert (period.kind, period.starts_on, period.ends_on, period.sort_key) == (
        "financial_years",
        dt.date(2019, 4, 1),
        dt.date(2022, 3, 31),
        202203963,  # ends March 2022, 36 months long
    )
    assert services.period_get_or_create(label="2019/20 - 21/22").pk == period.pk
    assert Period.objects.count() == 1


def test_period_get_or_create_rejects_unknown_labels():
    with pytest.raises(ValidationError) as raised:
        services.period_get_or_create(label="Q2 2022")

    (message,) = raised.value.message_dict["label"]
    assert message.startswith('Period label "Q2 2022" is not a period label we know')
    assert "Accepted forms" in message
    assert not Period.objects.exists()


def test_area_upsert_sets_parent_and_members():
    england = services.area_upsert(
        code="E92000001", name="England", area_type="country"
    )
    members = [AreaFactory(), AreaFactory()]

    group = services.area_upsert(
        code="CIPFA-X",
        name="Neighbours",
        area_type="comparator_group",
        parent=england,
        members=members,
    )
    again = services.area_upsert(
        code="CIPFA-X", name="Neighbours", area_type="comparator_group", parent=england
    )

    assert again.pk == group.pk
    assert set(group.members.all()) == set(members)
    assert Area.objects.get(code="CIPFA-X").parent == england


def test_an_area_is_not_its_own_member():
    group = services.area_upsert(code="G", name="G", area_type="comparator_group")

    with pytest.raises(ValidationError, match="cannot be its own member"):
        services.area_upsert(
            code="G", name="G", area_type="comparator_group", members=[group]
        )


def test_indicator_upsert_is_keyed_by_code():
    principle = MarmotPrincipleFactory(number=4)
    housing = WorkstreamFactory()
    fields = {
        "code": "fuel-poverty",
        "name": "Households in fuel poverty",
        "value_type": "proportion",
        "polarity": "low_is_good",
        "unit": "%",
        "multiplier": 100,
        "principle": principle,
        "workstreams": [housing],
    }

    first = services.indicator_upsert(**fields)
    second = services.indicator_upsert(**{**fields, "name": "Fuel poverty"})

    assert second.pk == first.pk
    assert Indicator.objects.get().name == "Fuel poverty"
    assert list(second.workstreams.all()) == [housing]
    assert second.history.count() == 2  # created, renamed
    # The link is the workstream's (ADR 30): its history records it.
    assert housing.history.count() == 2  # created, linked
    assert list(
        housing.history.first().indicators.values_list("indicator", flat=True)
    ) == [first.pk]


def test_indicator_upsert_validates_choices():
    with pytest.raises(ValidationError) as raised:
        services.indicator_upsert(
            code="x", name="X", value_type="proportion", polarity="up_is_good"
        )

    assert list(raised.value.message_dict) == ["polarity"]


def test_indicator_value_upsert_is_keyed_by_indicator_area_period_and_breakdown():
    indicator, area, period = IndicatorFactory(), AreaFactory(), PeriodFactory()
    key = {"indicator": indicator, "area": area, "period": period}

    whole = services.indicator_value_upsert(**key, value=39.1, published_text="39.10%")
    updated = services.indicator_value_upsert(**key, value=39.4, published_text="39.4%")
    female = services.indicator_value_upsert(**key, sex="Female", value=41.0)

    assert updated.pk == whole.pk
    assert female.pk != whole.pk
    assert IndicatorValue.objects.count() == 2
    stored = IndicatorValue.objects.get(pk=whole.pk)
    assert (stored.value, stored.published_text) == (39.4, "39.4%")


def test_indicator_value_upsert_applies_the_model_constraints():
    key = {"indicator": IndicatorFactory(), "area": AreaFactory()}

    with pytest.raises(ValidationError) as raised:
        services.indicator_value_upsert(
            **key, period=PeriodFactory(), value=10.0, lower95=12.0, upper95=11.0
        )

    assert "Constraint “value_lower95_not_above_upper95” is violated." in (
        raised.value.messages
    )
    assert not IndicatorValue.objects.exists()


def test_indicator_value_calculate_records_the_value_its_limits_and_method():
    indicator = IndicatorFactory(
        code="screened", value_type=Indicator.ValueType.PROPORTION, multiplier=100
    )
    key = {"indicator": indicator, "area": AreaFactory(), "period": PeriodFactory()}

    value = services.indicator_value_calculate(**key, numerator=100, denominator=1000)

    # phe_proportion(100, 1000): 10.0 (8.29094435930957 to 12.01519631953484).
    stored = IndicatorValue.objects.get(pk=value.pk)
    assert stored.value == pytest.approx(10.0)
    assert stored.lower95 == pytest.approx(8.29094435930957, rel=1e-6)
    assert stored.upper95 == pytest.approx(12.01519631953484, rel=1e-6)
    assert (stored.count, stored.denominator) == (100, 1000)
    assert stored.method == IndicatorValue.Method.WILSON
    # A published value for the same key goes back to "as published".
    services.indicator_value_upsert(**key, value=10.0)
    stored.refresh_from_db()
    assert stored.method == IndicatorValue.Method.PUBLISHED


def test_indicator_value_calculate_refuses_figures_it_cannot_use():
    indicator = IndicatorFactory(
        code="screened", value_type=Indicator.ValueType.PROPORTION, multiplier=100
    )

    with pytest.raises(ValidationError) as raised:
        services.indicator_value_calculate(
            indicator=indicator,
            area=AreaFactory(),
            period=PeriodFactory(),
            numerator=11,
            denominator=10,
        )

    assert raised.value.messages == [
        "screened (proportion): numerator (11) must not be more than denominator (10)."
    ]
    assert not IndicatorValue.objects.exists()


def test_assessment_set_published_keeps_one_published_row_per_benchmark():
    value = IndicatorValueFactory()
    computed = AssessmentFactory(value=value, method="computed", result="similar")
    england = AreaFactory(area_type="country")

    services.assessment_set_published(
        value=value, benchmark="national", result="worse", published_text="R"
    )
    published = services.assessment_set_published(
        value=value,
        benchmark="national",
        result="better",
        published_text="G",
        benchmark_area=england,
    )

    assert value.assessments.count() == 2
    assert (published.result, published.published_text) == ("better", "G")
    assert published.benchmark_area == england
    computed.refresh_from_db()
    assert computed.result == "similar"


def test_assessment_set_published_rejects_an_unknown_result():
    with pytest.raises(ValidationError):
        services.assessment_set_published(
            value=IndicatorValueFactory(), benchmark="national", result="green"
        )

    assert not Assessment.objects.exists()


def test_trend_set_published_is_one_row_per_value():
    value = IndicatorValueFactory()

    services.trend_set_published(
        value=value, label="No significant change", published_text="Comparable"
    )
    trend = services.trend_set_published(
        value=value,
        label="Decreasing and getting better",
        published_text="Significantly improving",
    )

    assert Trend.objects.get().pk == trend.pk
    assert trend.label == "Decreasing and getting better"
    assert trend.method == "published"


def test_trend_set_published_rejects_labels_that_are_not_fingertips_wording():
    with pytest.raises(ValidationError):
        services.trend_set_published(value=IndicatorValueFactory(), label="Improving")
