"""The rules on a Fingertips row's numbers, with their messages.

The database's check constraints on :class:`indicators.models.IndicatorValue`,
as problems an officer can fix: each pair of confidence limits in order, the
value inside each interval, the count not negative, the denominator positive.
:mod:`indicators.fingertips.validation` calls :func:`numbers_check` only for
the rows that fail its quick test of the usual case. Nothing here touches the
database.
"""

from __future__ import annotations

from indicators.fingertips import columns as c
from indicators.fingertips.errors import RowError


def number_format(number: float) -> str:
    """A number as the messages show it (``1.5``, ``100``, ``1e+06``)."""
    return f"{number:g}"


def numbers_check(
    n: dict[str, float | None], line: int, errors: list[RowError]
) -> None:
    """Append a problem to ``errors`` for each rule the numbers ``n`` (by
    column name, ``None`` where blank) break."""
    value = n[c.VALUE]
    for lower_name, upper_name, level in (
        (c.LOWER95, c.UPPER95, "95%"),
        (c.LOWER998, c.UPPER998, "99.8%"),
    ):
        lower, upper = n[lower_name], n[upper_name]
        if lower is not None and upper is not None and lower > upper:
            errors.append(
                RowError(
                    line,
                    lower_name,
                    f"lower {level} limit {number_format(lower)} is above the upper "
                    f"limit {number_format(upper)}",
                )
            )
            continue
        if value is None:
            continue
        if (lower is not None and value < lower) or (
            upper is not None and value > upper
        ):
            shown = (
                f"{number_format(lower) if lower is not None else '…'} to "
                f"{number_format(upper) if upper is not None else '…'}"
            )
            errors.append(
                RowError(
                    line,
                    c.VALUE,
                    f"value {number_format(value)} is outside its {level} confidence "
                    f"interval ({shown})",
                )
            )
    count, denominator = n[c.COUNT], n[c.DENOMINATOR]
    if count is not None and count < 0:
        errors.append(
            RowError(line, c.COUNT, f"count {number_format(count)} is negative")
        )
    if denominator is not None and denominator <= 0:
        errors.append(
            RowError(
                line,
                c.DENOMINATOR,
                f"denominator {number_format(denominator)} must be greater than zero",
            )
        )
