"""Migration 0007: every period's sort key recomputed from its label (by end),
and published trend words relabelled without a direction; both reversible.
The migration's own functions, run on the current models (same fields)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from indicators.models import Indicator, Period, Trend
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("indicators.migrations.0007_period_sort_by_end")
OPERATIONS = migration.Migration.operations


def run(operation, forwards=True):
    code = operation.code if forwards else operation.reverse_code
    code(apps, None)


def old_period(label, starts_on, ends_on):
    key = starts_on.year * 10000 + starts_on.month * 100  # the old key
    return Period.objects.create(
        label=label, kind="x", starts_on=starts_on, ends_on=ends_on, sort_key=key
    )


def test_sort_keys_by_end_then_back_by_start():
    old_period("2020-22", dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    old_period("2021/22", dt.date(2021, 4, 1), dt.date(2022, 3, 31))

    run(OPERATIONS[1])

    keys = dict(Period.objects.values_list("label", "sort_key"))
    assert keys == {"2020-22": 202212963, "2021/22": 202203987}
    assert list(Period.objects.values_list("label", flat=True)) == [
        "2021/22",
        "2020-22",
    ]

    run(OPERATIONS[1], forwards=False)

    keys = dict(Period.objects.values_list("label", "sort_key"))
    assert keys == {"2020-22": 20200100, "2021/22": 20210400}


@pytest.mark.parametrize(
    ("polarity", "words", "before", "after"),
    [
        (
            Indicator.Polarity.HIGH_IS_GOOD,
            "Significantly worse",
            "Decreasing and getting worse",
            "Getting worse",
        ),
        (
            Indicator.Polarity.LOW_IS_GOOD,
            "Significantly improving",
            "Decreasing and getting better",
            "Getting better",
        ),
    ],
)
def test_published_trend_words_lose_the_invented_direction(
    polarity, words, before, after
):
    value = IndicatorValueFactory(indicator=IndicatorFactory(polarity=polarity))
    trend = Trend.objects.create(
        value=value, label=before, method="published", published_text=words
    )
    fingertips = Trend.objects.create(
        value=IndicatorValueFactory(),
        label="Increasing and getting worse",
        method="published",
        published_text="Increasing and getting worse",
    )

    run(OPERATIONS[2])
    trend.refresh_from_db()
    fingertips.refresh_from_db()
    assert trend.label == after
    assert fingertips.label == "Increasing and getting worse"  # said by its source

    run(OPERATIONS[2], forwards=False)
    trend.refresh_from_db()
    assert trend.label == before
