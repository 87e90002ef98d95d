"""Period labels: every form in the published table, Fingertips' forms, rejections."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from indicators import periods
from indicators.measures.table import parse_measures_table
from indicators.models import Period
from indicators.periods import PeriodLabelError, parse_period_label

D = dt.date

# Every "Date of measure" label in the published outcome-measure table. The sort
# key is (end year * 100 + end month) * 1000 + 999 - length in months.
TABLE_LABELS = {
    "2018-20": ("calendar_years", D(2018, 1, 1), D(2020, 12, 31), 202012963),
    "2019-21": ("calendar_years", D(2019, 1, 1), D(2021, 12, 31), 202112963),
    "2020-22": ("calendar_years", D(2020, 1, 1), D(2022, 12, 31), 202212963),
    "2018/19": ("financial_year", D(2018, 4, 1), D(2019, 3, 31), 201903987),
    "2020/21": ("financial_year", D(2020, 4, 1), D(2021, 3, 31), 202103987),
    "2021/22": ("financial_year", D(2021, 4, 1), D(2022, 3, 31), 202203987),
    "2022/23": ("financial_year", D(2022, 4, 1), D(2023, 3, 31), 202303987),
    "2023/24": ("financial_year", D(2023, 4, 1), D(2024, 3, 31), 202403987),
    "2021": ("calendar_year", D(2021, 1, 1), D(2021, 12, 31), 202112987),
    "2022": ("calendar_year", D(2022, 1, 1), D(2022, 12, 31), 202212987),
    "2023": ("calendar_year", D(2023, 1, 1), D(2023, 12, 31), 202312987),
    "2024": ("calendar_year", D(2024, 1, 1), D(2024, 12, 31), 202412987),
    "Apr-22": ("month", D(2022, 4, 1), D(2022, 4, 30), 202204998),
    "Apr-23": ("month", D(2023, 4, 1), D(2023, 4, 30), 202304998),
    "Dec-23": ("month", D(2023, 12, 1), D(2023, 12, 31), 202312998),
}

FINGERTIPS_LABELS = {
    "2019/20 - 21/22": ("financial_years", D(2019, 4, 1), D(2022, 3, 31), 202203963),
    "2017/18-19/20": ("financial_years", D(2017, 4, 1), D(2020, 3, 31), 202003963),
    "2018 - 20": ("calendar_years", D(2018, 1, 1), D(2020, 12, 31), 202012963),
    "2012 - 14": ("calendar_years", D(2012, 1, 1), D(2014, 12, 31), 201412963),
    "2019/20 Q3": ("quarter", D(2019, 10, 1), D(2019, 12, 31), 201912996),
    "2022/23 Q1": ("quarter", D(2022, 4, 1), D(2022, 6, 30), 202206996),
    "2022/23 Q3": ("quarter", D(2022, 10, 1), D(2022, 12, 31), 202212996),
    "2022/23 Q4": ("quarter", D(2023, 1, 1), D(2023, 3, 31), 202303996),
    "2023 Q1": ("quarter", D(2023, 1, 1), D(2023, 3, 31), 202303996),
    "2023 Q4": ("quarter", D(2023, 10, 1), D(2023, 12, 31), 202312996),
    "Dec 2023": ("month", D(2023, 12, 1), D(2023, 12, 31), 202312998),
    "December 2023": ("month", D(2023, 12, 1), D(2023, 12, 31), 202312998),
    "Feb 2024": ("month", D(2024, 2, 1), D(2024, 2, 29), 202402998),
    "1999/00": ("financial_year", D(1999, 4, 1), D(2000, 3, 31), 200003987),
}

# The order a reader gives these labels, written out by hand: by the month the
# period ends, then the longer period first. Every label in the published table
# (both snapshots) and Fingertips' forms, one label per distinct period.
READER_ORDER = [
    "2012 - 14",  # ends Dec 2014
    "2018/19",  # ends Mar 2019
    "2019/20 Q3",  # ends Dec 2019
    "2018-20",  # ends Dec 2020
    "2020/21",  # ends Mar 2021
    "2019-21",  # ends Dec 2021, three years ...
    "2021",  # ... before one year ending then
    "2019/20 - 21/22",  # ends Mar 2022, three years ...
    "2021/22",  # ... before one year ending then
    "Apr-22",
    "2020-22",  # ends Dec 2022: the latest of the pooled mortality periods
    "2022",
    "2022/23 Q3",
    "2022/23",  # ends Mar 2023, a year ...
    "2022/23 Q4",  # ... before a quarter ending then
    "Apr-23",
    "2023",  # ends Dec 2023, a year ...
    "2023 Q4",  # ... a quarter ...
    "Dec-23",  # ... and a month
    "Feb 2024",
    "2023/24",  # ends Mar 2024
    "2024",
]


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


def test_reader_order_names_every_table_label_and_fingertips_form():
    assert set(TABLE_LABELS) <= set(READER_ORDER)
    assert {"2012 - 14", "2019/20 Q3", "Dec-23", "Apr-22"} <= set(READER_ORDER)


PAIRS = [
    (earlier, later)
    for index, earlier in enumerate(READER_ORDER)
    for later in READER_ORDER[index + 1 :]
]


@pytest.mark.parametrize(
    ("earlier", "later"), PAIRS, ids=[f"{a} < {b}" for a, b in PAIRS]
)
def test_every_pair_of_labels_sorts_as_a_reader_orders_them(earlier, later):
    assert parse_period_label(earlier).sort_key < parse_period_label(later).sort_key


@pytest.mark.parametrize(
    ("one", "other"),
    [("Dec-23", "Dec 2023"), ("Dec-23", "December 2023"), ("2018-20", "2018 - 20")],
)
def test_two_labels_for_the_same_period_share_a_key(one, other):
    assert parse_period_label(one).sort_key == parse_period_label(other).sort_key


def test_sort_key_fits_a_32_bit_signed_integer_for_every_year():
    longest = f"{periods.MAX_YEAR - periods.MAX_POOLED_YEARS}-{periods.MAX_YEAR}"
    extremes = [
        f"Dec {periods.MAX_YEAR}",
        f"{periods.MAX_YEAR}",
        longest,
        f"Jan {periods.MIN_YEAR}",
        f"{periods.MIN_YEAR}-{periods.MIN_YEAR + periods.MAX_POOLED_YEARS}",
    ]
    keys = [parse_period_label(label).sort_key for label in extremes]

    assert all(0 < key < 2**31 for key in keys)
    # The longest period a label can give still leaves the end month intact.
    assert parse_period_label(longest).sort_key // 1000 == periods.MAX_YEAR * 100 + 12


@pytest.mark.django_db
def test_periods_from_the_database_come_in_reader_order():
    from indicators.services import period_get_or_create

    for label in reversed(READER_ORDER):
        period_get_or_create(label=label)

    assert list(Period.objects.values_list("label", flat=True)) == READER_ORDER


@pytest.mark.parametrize(
    ("label", "sortable"),
    [
        # As in Fingertips' own files (tests/indicators/fingertips/data).
        ("2020 - 22", 20200000),
        ("2020-22", 20200000),
        ("2021/22", 20210000),
        ("2019/20 - 21/22", 20190000),
        ("2022", 20220000),
        ("2019/20 Q3", 20190300),
        ("2023 Q1", 20230100),
        ("Dec-23", 20230012),
        ("Apr-22", 20220004),
    ],
)
def test_fingertips_sortable_is_fingertips_own_form(label, sortable):
    parsed = parse_period_label(label)

    assert periods.fingertips_sortable(label, parsed.starts_on) == sortable


def test_fingertips_sortable_of_a_hand_made_label_is_its_start_year():
    assert periods.fingertips_sortable("2020 (provisional)", D(2020, 1, 1)) == (
        20200000
    )


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
