"""``{% load judgements %}``: trends and short comparisons as words and a shape,
never by colour alone.

``{% trend label group %}`` shows a trend label with the shape of its group
(:func:`indicators.filters.trend_group`): a circle getting better, a diamond
getting worse, a bar for no significant change, an empty square otherwise -
the shapes comparisons use for better and worse. ``{% comparison result name %}`` is a
comparison for a narrow column: the shape and the published letter ("R"),
with the words ("Worse than England") for screen readers.
``{% assessment result benchmark label %}`` is a comparison in full words
("Worse than England") with its shape.
"""

from django import template
from django.utils.html import format_html

from indicators.models import Assessment
from indicators.page_selectors.indicator_format import result_words
from indicators.page_selectors.measures_table import LETTERS
from marmot.site.shapes import shape

register = template.Library()

R = Assessment.Result
B = Assessment.Benchmark
# The shapes an action's RAG takes too: circle, triangle, diamond. "Higher",
# "lower" (no better/worse direction) and "not compared" get the empty one.
RESULT_SHAPES = {R.BETTER: "green", R.SIMILAR: "amber", R.WORSE: "red"}
#: The benchmark an ``assessment`` names when no label (an area name) is given.
BENCHMARK_NAMES = {
    B.NATIONAL: "England",
    B.REGION: "region",
    B.NEAREST_NEIGHBOURS: "nearest neighbours",
    B.TARGET: "target",
}

TREND_SHAPES = {"better": "green", "worse": "red", "no_change": "flat"}
NO_TREND = "No trend yet"


@register.simple_tag
def trend(label: str | None, group: str | None, blank: str = NO_TREND):
    """The trend ``label`` with the shape of its ``group``; ``blank`` (in
    words) when there is none."""
    return shape(TREND_SHAPES.get(group, "none"), label or blank)


@register.simple_tag
def comparison(result: str, name: str):
    """A comparison as its published letter and shape ("R" and a diamond), in
    words for screen readers ("Worse than England"); "–" when there is none."""
    if result not in LETTERS:
        words = format_html(
            '<span aria-hidden="true">–</span>'
            '<span class="govuk-visually-hidden">No comparison with {}</span>',
            name,
        )
        return shape("none", words)
    words = format_html(
        '<span aria-hidden="true">{}</span>'
        '<span class="govuk-visually-hidden">{}</span>',
        LETTERS[result],
        result_words(result, name),
    )
    return shape(RESULT_SHAPES.get(result, "none"), words)


@register.simple_tag
def assessment(result: str, benchmark: str = B.NATIONAL, label: str = ""):
    """A comparison as words and a shape, e.g. "Worse than England".

    ``label`` names the benchmark (an area name) when known."""
    name = label or BENCHMARK_NAMES.get(benchmark, benchmark)
    return shape(RESULT_SHAPES.get(result, "none"), result_words(result, name))
