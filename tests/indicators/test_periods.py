"""Period labels: every form in the published table, Fingertips' forms, rejections."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from indicators import periods
from indicators.measures_table import parse_measures_table
from indicators.models import Period
from indicators.periods import PeriodLabelError, parse_period_label

D = dt.date

# Every "Date of measure" label in the published outcome-measure table.
TABLE_LABELS = {
    "2018-20": ("calendar_years", D(2018, 1, 1), D(2020, 12, 31), 20180100),
    "2019-21": ("calendar_years", D(2019, 1, 1), D(2021, 12, 31), 20190100),
    "2020-22": ("calendar_years", D(2020, 1, 1), D(2022, 12, 31), 20200100),
    "2018/19": ("financial_year", D(2018, 4, 1), D(2019, 3, 31), 20180400),
    "2020/21": ("financial_year", D(2020, 4, 1), D(2021, 3, 31), 20200400),
    "2021/22": ("financial_year", D(2021, 4, 1), D(2022, 3, 31), 20210400),
    "2022/23": ("financial_year", D(2022, 4, 1), D(2023, 3, 31), 20220400),
    "2023/24": ("financial_year", D(2023, 4, 1), D(2024, 3, 31), 20230400),
    "2021": ("calendar_year", D(2021, 1, 1), D(2021, 12, 31), 20210100),
    "2022": ("calendar_year", D(2022, 1, 1), D(2022, 12, 31), 20220100),
    "2023": ("calendar_year", D(2023, 1, 1), D(2023, 12, 31), 20230100),
    "2024": ("calendar_year", D(2024, 1, 1), D(2024, 12, 31), 20240100),
    "Apr-22": ("month", D(2022, 4, 1), D(2022, 4, 30), 20220400),
    "Apr-23": ("month", D(2023, 4, 1), D(2023, 4, 30), 20230400),
    "Dec-23": ("month", D(2023, 12, 1), D(2023, 12, 31), 20231200),
}

FINGERTIPS_LABELS = {
    "2019/20 - 21/22": ("financial_years", D(2019, 4, 1), D(2022, 3, 31), 20190400),
    "2017/18-19/20": ("financial_years", D(2017, 4, 1), D(2020, 3, 31), 20170400),
    "2018 - 20": ("calendar_years", D(2018, 1, 1), D(2020, 12, 31), 20180100),
    "2022/23 Q1": ("quarter", D(2022, 4, 1), D(2022, 6, 30), 20220400),
    "2022/23 Q3": ("quarter", D(2022, 10, 1), D(2022, 12, 31), 20221000),
    "2022/23 Q4": ("quarter", D(2023, 1, 1), D(2023, 3, 31), 20230100),
    "2023 Q1": ("quarter", D(2023, 1, 1), D(2023, 3, 31), 20230100),
    "2023 Q4": ("quarter", D(2023, 10, 1), D(2023, 12, 31), 20231000),
    "Dec 2023": ("month", D(2023, 12, 1), D(2023, 12, 31), 20231200),
    "December 2023": ("month", D(2023, 12, 1), D(2023, 12, 31), 20231200),
    "Feb 2024": ("month", D(2024, 2, 1), D(2024, 2, 29), 20240200),
    "1999/00": ("financial_year", D(1999, 4, 1), D(2000, 3, 31), 19990400),
}


@pytest.mark.parametrize(
    ("label", "expected"), [*TABLE_LABELS.items(), *FINGERTIPS_LABELS.items()]
)
def test_parse_period_label(label, expected):
    kind, starts_on, ends_on, sort_key = expected

    parsed = parse_period_label(label)

    assert parsed.label == label
    assert (parsed.kind, parsed.starts_on, parsed.ends_on, parsed.sort_key) == (
        kind,
        starts_on,
        ends_on,
        sort_key,
    )


def test_every_label_in_the_table_is_covered_above():
    path = Path(settings.BASE_DIR) / "data/places/luton/outcome-measures.tsv"
    table = parse_measures_table(path.read_text(encoding="utf-8"))

    labels = {s.period_label for row in table.rows for s in row.snapshots}

    assert labels == set(TABLE_LABELS)


def test_kinds_are_the_period_model_kinds():
    kinds = {p.kind for p in map(parse_period_label, TABLE_LABELS)}
    kinds |= {p.kind for p in map(parse_period_label, FINGERTIPS_LABELS)}

    assert kinds == set(Period.Kind.values)
    assert periods.QUARTER == Period.Kind.QUARTER


def test_sort_key_orders_by_start():
    labels = ["2023", "2021/22", "Dec-23", "2018-20", "2022/23 Q3", "Apr-22"]

    ordered = sorted(labels, key=lambda label: parse_period_label(label).sort_key)

    assert ordered == ["2018-20", "2021/22", "Apr-22", "2022/23 Q3", "2023", "Dec-23"]


@pytest.mark.parametrize(
    "label",
    [
        "",
        "2021/23",  # not consecutive years
        "2021/22/23",
        "2022-22",  # ends when it starts
        "2018-17",
        "Q3 2022",
        "2022/23 Q5",
        "FY2021",
        "Foo-22",
        "13-22",
        "22",
        "1850",
        "2019/20 - 21/23",
    ],
)
def test_unknown_or_impossible_labels_are_rejected(label):
    with pytest.raises(PeriodLabelError) as raised:
        parse_period_label(label)

    message = str(raised.value)
    assert f'"{label}"' in message
    assert '"2021/22" (financial year, April to March)' in message
    assert raised.value.label == label
