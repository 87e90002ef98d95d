"""``{% load measures %}``: a measure's value as :mod:`indicators.formatting` says.

``{{ value|measure:indicator }}`` formats a number; ``{{ row|measure }}``
formats an IndicatorValue with its own indicator.
"""

from django import template

from indicators.formatting import indicator_value, release_date_text, value_display

register = template.Library()


@register.filter
def measure(value, indicator=None) -> str:
    """A number with ``indicator``'s decimals and unit, or an IndicatorValue."""
    if indicator is None:
        return value_display(value)
    if value is not None and hasattr(value, "period_id"):
        return value_display(value, indicator)
    return indicator_value(value, indicator)


@register.filter
def release_date(day) -> str:
    """A release date as known: "15 March 2024", "March 2024" or "2024"."""
    return release_date_text(day)
