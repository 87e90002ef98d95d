"""How a measure's value reads, wherever it is shown (ADR 0017): pure functions.

The one rule for pages, CSV and XLSX downloads, emails and the API's
``display`` fields:

- the stored value rounded to the indicator's ``display_decimals`` (halves away
  from zero, of the exact stored number), with thousands separators, never
  "-0.0";
- then the indicator's unit: a unit that starts with "%" follows the number
  directly ("85.7%", "8.9% of households"), any other after a space
  ("13.9 per 1,000 households", "77.0 years"); no unit, the number alone
  (a score: "0.11");
- an indicator with no unit takes one from its multiplier: 100 on a proportion
  is "%", any other multiplier above 1 "per 1,000" (with thousands separators).

A release date says what is known of it: a source that gives only the month or
the year is stored as its first day (data/README.md), so the 1st of a month
reads as the month ("March 2024") and 1 January as the year ("2024"); never
false, at worst less exact than the source.

The text a source published (``IndicatorValue.published_text``, e.g. "85.40%")
is kept for the record and for checking, never shown as the value: its decimals
and units vary from cell to cell ("46.00" beside "44.5"; "8.9% households").
The one exception is a value the source gives in words only ("over 40%", "a
third"): it has no number, and its words are shown as they were published
(ADR 0038).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

from indicators.models import Indicator
from indicators.models.values import MAX_DISPLAY_DECIMALS

NO_VALUE = "No value"
PERCENT = "%"


def format_number(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places, halves away from zero, with commas.

    Rounds the exact binary value (as JavaScript's ``toFixed`` does); never
    prints "-0.0". ``decimals`` outside 0 to MAX_DISPLAY_DECIMALS is brought
    inside, so a row stored before that limit still shows.
    """
    decimals = min(max(decimals, 0), MAX_DISPLAY_DECIMALS)
    exact = Decimal(value)
    if not exact.is_finite():
        return str(value)
    # Enough digits for any float (up to 1e308) and its decimals, so a huge
    # value is rounded, never an InvalidOperation.
    context = Context(prec=max(exact.adjusted(), 0) + decimals + 2)
    rounded = exact.quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=context
    )
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{decimals}f}"


def with_unit(number: str, unit: str) -> str:
    """``number`` followed by ``unit``: "85.7%", "8.9% of households", "77.0 years"."""
    unit = unit.strip()
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith(PERCENT) else f"{number} {unit}"


def format_value(
    value: float | None, decimals: int, unit: str = "", blank: str = NO_VALUE
) -> str:
    """``value`` to ``decimals`` places with ``unit``; ``blank`` when None."""
    if value is None:
        return blank
    return with_unit(format_number(value, decimals), unit)


def unit_of(indicator) -> str:
    """The indicator's unit, else the one its multiplier implies ("%", "per 1,000")."""
    unit = indicator.unit or ""
    if unit.strip():
        return unit  # as given; with_unit() trims it
    multiplier = indicator.multiplier or 1
    if multiplier == 100 and indicator.value_type == Indicator.ValueType.PROPORTION:
        return PERCENT
    if multiplier > 1:
        return f"per {multiplier:,}"
    return ""


def indicator_value(value: float | None, indicator, blank: str = NO_VALUE) -> str:
    """``value`` as ``indicator`` shows it: its decimals and unit."""
    return format_value(value, indicator.display_decimals, unit_of(indicator), blank)


def format_interval(lower: float | None, upper: float | None, indicator) -> str:
    """A 95% interval in words, "38.0 to 42.0"; "" when a limit is missing."""
    if lower is None or upper is None:
        return ""
    decimals = indicator.display_decimals
    return f"{format_number(lower, decimals)} to {format_number(upper, decimals)}"


def value_display(row, indicator=None, blank: str = NO_VALUE) -> str:
    """An IndicatorValue (or None) as shown: its indicator's decimals and unit.

    ``indicator`` defaults to ``row.indicator`` (select it in advance).
    """
    if row is None:
        return blank
    if row.value is None and row.published_text:
        return row.published_text  # given in words only (ADR 0038)
    return indicator_value(row.value, indicator or row.indicator, blank)


def release_date_text(day: dt.date | None, blank: str = "") -> str:
    """A release date as known: "15 March 2024", "March 2024" or "2024"."""
    if day is None:
        return blank
    if day.day != 1:
        return f"{day.day} {day:%B %Y}"
    return f"{day.year}" if day.month == 1 else f"{day:%B %Y}"


def publication_words(row) -> str:
    """Where and when ``row`` (an IndicatorValue) was published, in words:
    "Published 2024 in Health Equity Town update (2024)"; "" if neither is known.
    """
    if row is None or not (row.release_date or row.source):
        return ""
    text = "Published"
    if row.release_date:
        text += f" {release_date_text(row.release_date)}"
    if row.source:
        text += f" in {row.source}"
    return text
