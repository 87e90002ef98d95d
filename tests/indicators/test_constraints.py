"""The database itself rejects impossible indicator data (ADR 0004).

Each case writes past the model's validation (``objects.create`` or
``QuerySet.update``) and expects the database to refuse with IntegrityError.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Period,
    Target,
    Trend,
)
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import MarmotPrincipleFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def update(instance, **fields) -> None:
    type(instance).objects.filter(pk=instance.pk).update(**fields)


def duplicate_value() -> None:
    value = IndicatorValueFactory(sex="Male")
    IndicatorValue.objects.create(
        indicator=value.indicator, area=value.area, period=value.period, sex="Male"
    )


def new_target(**fields) -> Target:
    return Target.objects.create(
        indicator=fields.pop("indicator", None) or IndicatorFactory(),
        area=fields.pop("area", None) or AreaFactory(),
        period=fields.pop("period", None) or PeriodFactory(),
        value=fields.pop("value", 10.0),
        **fields,
    )


def duplicate_target() -> None:
    target = new_target()
    new_target(indicator=target.indicator, area=target.area, period=target.period)


# constraint name → a write that breaks it
VIOLATIONS = {
    "principle_number_1_to_8": lambda: update(
        MarmotPrincipleFactory(number=1), number=9
    ),
    "place_singleton": lambda: update(PlaceFactory(), singleton=False),
    "period_ends_after_start": lambda: update(
        PeriodFactory(label="2022"), ends_on=dt.date(2021, 12, 31)
    ),
    "indicator_unique_fingertips_id": lambda: (
        IndicatorFactory(fingertips_id=90366),
        IndicatorFactory(fingertips_id=90366),
    ),
    "indicator_multiplier_positive": lambda: update(IndicatorFactory(), multiplier=0),
    "indicator_display_decimals_at_most_six": lambda: update(
        IndicatorFactory(), display_decimals=7
    ),
    "value_unique_per_breakdown": duplicate_value,
    "value_lower95_not_above_upper95": lambda: update(
        IndicatorValueFactory(value=None), lower95=5.0, upper95=4.0
    ),
    "value_lower998_not_above_upper998": lambda: update(
        IndicatorValueFactory(), lower998=45.0, upper998=35.0
    ),
    "value_inside_its_95_interval": lambda: update(IndicatorValueFactory(), value=50.0),
    "value_count_not_negative": lambda: update(IndicatorValueFactory(), count=-1),
    "value_denominator_positive": lambda: update(
        IndicatorValueFactory(), denominator=0
    ),
    "value_category_needs_type": lambda: update(
        IndicatorValueFactory(), category="Decile 1"
    ),
    "assessment_unique_per_method": lambda: Assessment.objects.create(
        value=AssessmentFactory().value,
        benchmark="national",
        result="better",
        method="published",
    ),
    "assessment_manual_needs_reason": lambda: update(
        AssessmentFactory(), method="manual", reason=""
    ),
    "trend_unique_per_method": lambda: Trend.objects.create(
        value=TrendFactory().value, label="Increasing", method="published"
    ),
    "trend_manual_needs_reason": lambda: update(TrendFactory(), method="manual"),
    "target_unique": duplicate_target,
    "target_tolerance_not_negative": lambda: new_target(amber_tolerance=-0.5),
    # unique fields
    "Area.code": lambda: Area.objects.create(
        code=AreaFactory().code, name="Again", area_type="ward"
    ),
    "Period.label": lambda: Period.objects.create(
        label=PeriodFactory(label="2023").label,
        kind="calendar_year",
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
        sort_key=20230100,
    ),
    "Indicator.code": lambda: IndicatorFactory(code=IndicatorFactory().code),
}
CHECKS = {
    c.name
    for model in apps.get_app_config("indicators").get_models()
    for c in model._meta.constraints
    if c.__class__.__name__ == "CheckConstraint"
}


@pytest.mark.parametrize("name", VIOLATIONS)
def test_the_database_rejects(name):
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        VIOLATIONS[name]()

    if name in CHECKS:  # both SQLite and PostgreSQL name a failed check
        assert name in str(raised.value)


def test_valid_rows_pass_every_constraint():
    value = IndicatorValueFactory(
        value=40.0,
        lower95=38.0,
        upper95=42.0,
        lower998=37.0,
        upper998=43.0,
        count=0,
        category_type="Deprivation decile",
        category="1",
    )
    AssessmentFactory(value=value, method="manual", reason="Officer judgement")
    TrendFactory(value=value, method="computed")
    IndicatorFactory(fingertips_id=None)
    IndicatorFactory(fingertips_id=None)
    new_target(amber_tolerance=0)

    assert IndicatorValue.objects.count() == 1
    assert Indicator.objects.count() == 4  # three here, one for the target


def test_every_constraint_of_the_app_has_a_case_above():
    named = {
        c.name
        for model in apps.get_app_config("indicators").get_models()
        if not model.__name__.startswith("Historical")
        for c in model._meta.constraints
    }

    assert named - set(VIOLATIONS) == set()
