"""Parse published period labels into dates, a kind and a sort key.

Pure Python: no Django. One parser for every label form we accept (ADR 0006);
anything else is rejected with :class:`PeriodLabelError`.

Accepted forms (examples):

=========================  ==================  =================================
label                      kind                covers
=========================  ==================  =================================
``2022``                   calendar_year       1 Jan 2022 – 31 Dec 2022
``2018-20``, ``2018 - 20``  calendar_years      1 Jan 2018 – 31 Dec 2020 (pooled)
``2021/22``                financial_year      1 Apr 2021 – 31 Mar 2022
``2019/20 - 21/22``        financial_years     1 Apr 2019 – 31 Mar 2022 (pooled)
``2022/23 Q3``             quarter             1 Oct 2022 – 31 Dec 2022
``2023 Q1``                quarter             1 Jan 2023 – 31 Mar 2023
``Apr-22``, ``Dec 2023``,  month               the whole month
``December 2023``
=========================  ==================  =================================

Financial quarters count from April (Q1 = Apr–Jun, Q4 = Jan–Mar of the next
calendar year), as Fingertips and the NHS do.

Sort key: the order a reader expects — by the month the period *ends*, then,
for periods that end in the same month, the longer period first (which is the
same as by start, earliest first, and the tie order Fingertips' start-based
"Time period Sortable" gives). So 2018-20 < 2019-21 < 2021/22 < 2020-22 <
2022 < 2022/23 < Apr-23 < 2021/22 - 23/24 < 2023/24 < 2024. The key is

    (end year * 100 + end month) * 1000 + (999 - length in months)

e.g. 2020-22 → 202212*1000 + 999 - 36 = 202212963, 2022 → 202212987,
2021/22 → 202203987, Dec-23 → 202312998. Lengths run from 1 month to
``MAX_POOLED_YEARS + 1`` years (252 months), so the second part never
overflows into the first, and the largest key (Dec ``MAX_YEAR``, 219912998)
fits a 32-bit signed integer (a ``PositiveIntegerField`` on every database).
Keys are unique per (start, end): ``Period`` ordering needs no tie-break.

Fingertips' own "Time period Sortable" orders by *start* (2020-22 before
2021/22), which is not the order a reader of "latest" expects; we read it
from Fingertips files only to check it is a number, and write Fingertips' own
form on export (:func:`fingertips_sortable`, ADR 0006).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# The values of indicators.models.Period.Kind (kept here so this module needs no
# Django; tests check they agree).
CALENDAR_YEAR = "calendar_year"
CALENDAR_YEARS = "calendar_years"
FINANCIAL_YEAR = "financial_year"
FINANCIAL_YEARS = "financial_years"
QUARTER = "quarter"
MONTH = "month"

ACCEPTED_FORMS = (
    '"2022" (calendar year)',
    '"2018-20" (pooled calendar years)',
    '"2021/22" (financial year, April to March)',
    '"2019/20 - 21/22" (pooled financial years)',
    '"2022/23 Q3" (financial-year quarter)',
    '"2023 Q1" (calendar quarter)',
    '"Apr-22", "Dec 2023" or "December 2023" (month)',
)

MIN_YEAR = 1900
MAX_YEAR = 2199
MAX_POOLED_YEARS = 20

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr)}
_MONTHS.update(
    {name.lower(): number for number, name in enumerate(calendar.month_name)}
)
_MONTHS.pop("", None)
_MONTHS["sept"] = 9

_YEAR = re.compile(r"^(\d{4})$")
_CALENDAR_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_FINANCIAL_YEARS = re.compile(r"^(\d{4})/(\d{2})\s*-\s*(\d{2}|\d{4})/(\d{2})$")
_FINANCIAL_QUARTER = re.compile(r"^(\d{4})/(\d{2})\s+Q([1-4])$", re.IGNORECASE)
_CALENDAR_QUARTER = re.compile(r"^(\d{4})\s+Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^([A-Za-z]+)(?:-|\s+)(\d{2}|\d{4})$")


class PeriodLabelError(ValueError):
    """A period label in none of the accepted forms, or an impossible one."""

    def __init__(self, label: str, problem: str = "is not a period label we know"):
        self.label = label
        super().__init__(
            f'Period label "{label}" {problem}. Accepted forms: '
            + "; ".join(ACCEPTED_FORMS)
            + "."
        )


@dataclass(frozen=True)
class ParsedPeriod:
    label: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    sort_key: int


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def length_in_months(starts_on: dt.date, ends_on: dt.date) -> int:
    """Whole months from the start month to the end month, both included."""
    return (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1


def period_sort_key(starts_on: dt.date, ends_on: dt.date) -> int:
    """By end month, then the longer period first (see the module docstring)."""
    end_month = ends_on.year * 100 + ends_on.month
    return end_month * 1000 + (999 - length_in_months(starts_on, ends_on))


def fingertips_sortable(label: str, starts_on: dt.date) -> int:
    """Fingertips' "Time period Sortable" for a label: ``YYYYQQMM``.

    The year the period starts (a financial year's first year) * 10000, plus
    the quarter * 100 for a quarter ("2022/23 Q3" → 20220300) and the month
    for a month ("Dec-23" → 20230012); whole and pooled years are ``YYYY0000``
    ("2020 - 22" → 20200000, "2021/22" → 20210000), as in Fingertips' files.
    Written on export so a file we write means what Fingertips' files mean;
    a label we cannot parse (made by hand) gives ``YYYY0000`` of ``starts_on``.
    """
    text = " ".join(label.split())
    quarter = _FINANCIAL_QUARTER.match(text) or _CALENDAR_QUARTER.match(text)
    if quarter:
        return int(quarter[1]) * 10000 + int(quarter[quarter.lastindex]) * 100
    try:
        parsed = parse_period_label(label)
    except PeriodLabelError:
        return starts_on.year * 10000
    if parsed.kind == MONTH:
        return parsed.starts_on.year * 10000 + parsed.starts_on.month
    return parsed.starts_on.year * 10000


def _period(label: str, kind: str, starts_on: dt.date, ends_on: dt.date):
    return ParsedPeriod(
        label, kind, starts_on, ends_on, period_sort_key(starts_on, ends_on)
    )


def _year(label: str, text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodLabelError(label, f"has a year out of range ({year})")
    return year


def _later_year(label: str, start: int, text: str) -> int:
    """The year an end written as "20" or "2020" means, after ``start``."""
    if len(text) == 4:
        end = int(text)
    else:
        end = start - start % 100 + int(text)
        if end < start:
            end += 100
    if not start < end <= start + MAX_POOLED_YEARS:
        raise PeriodLabelError(label, f"does not end after it starts ({start})")
    return end


def _financial_start(label: str, start_text: str, end_text: str) -> int:
    start = _year(label, start_text)
    if int(end_text) != (start + 1) % 100:
        raise PeriodLabelError(
            label,
            f"is not a financial year: {start_text}/{end_text} is not consecutive",
        )
    return start


def _month_number(label: str, name: str) -> int:
    number = _MONTHS.get(name.lower())
    if number is None:
        raise PeriodLabelError(label, f'has no month called "{name}"')
    return number


def parse_period_label(label: str) -> ParsedPeriod:
    """Parse a published period label; raise PeriodLabelError if it is unknown."""
    text = " ".join(label.split())
    if match := _YEAR.match(text):
        year = _year(label, match[1])
        return _period(label, CALENDAR_YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if match := _CALENDAR_YEARS.match(text):
        start = _year(label, match[1])
        end = _later_year(label, start, match[2])
        return _period(
            label, CALENDAR_YEARS, dt.date(start, 1, 1), dt.date(end, 12, 31)
        )
    if match := _FINANCIAL_YEAR.match(text):
        start = _financial_start(label, match[1], match[2])
        return _period(
            label, FINANCIAL_YEAR, dt.date(start, 4, 1), dt.date(start + 1, 3, 31)
        )
    if match := _FINANCIAL_YEARS.match(text):
        start = _financial_start(label, match[1], match[2])
        last_start = _later_year(label, start, match[3])
        _financial_start(label, str(last_start), match[4])
        return _period(
            label,
            FINANCIAL_YEARS,
            dt.date(start, 4, 1),
            dt.date(last_start + 1, 3, 31),
        )
    if match := _FINANCIAL_QUARTER.match(text):
        start = _financial_start(label, match[1], match[2])
        first_month = 4 + 3 * (int(match[3]) - 1)
        year = start + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        return _period(
            label, QUARTER, dt.date(year, month, 1), _month_end(year, month + 2)
        )
    if match := _CALENDAR_QUARTER.match(text):
        year = _year(label, match[1])
        month = 1 + 3 * (int(match[2]) - 1)
        return _period(
            label, QUARTER, dt.date(year, month, 1), _month_end(year, month + 2)
        )
    if match := _MONTH.match(text):
        month = _month_number(label, match[1])
        year_text = match[2]
        year = _year(label, year_text if len(year_text) == 4 else f"20{year_text}")
        return _period(label, MONTH, dt.date(year, month, 1), _month_end(year, month))
    raise PeriodLabelError(label)
