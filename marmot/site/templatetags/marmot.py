"""Tags for showing judgements as text plus a shape, never by colour alone."""

from django import template
from django.utils.html import format_html

register = template.Library()

# Action RAG and assessment results share three shapes: circle (good), triangle
# (caution), diamond (bad). The words always come with them.
RAG_SHAPES = {"green": "green", "amber": "amber", "red": "red"}
RAG_WORDS = {
    "green": "Green – on track",
    "amber": "Amber – at risk",
    "red": "Red – off track",
}
RESULT_SHAPES = {"better": "green", "similar": "amber", "worse": "red"}
BENCHMARK_NAMES = {
    "national": "England",
    "region": "region",
    "nearest_neighbours": "nearest neighbours",
    "target": "target",
}
STATUS_TAGS = {
    "planned": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "completed": "govuk-tag--green",
    "on_hold": "govuk-tag--yellow",
    "cancelled": "govuk-tag--red",
    "draft": "govuk-tag--grey",
    "consultation": "govuk-tag--yellow",
    "signed_off": "govuk-tag--green",
    "closed": "govuk-tag--blue",
    "submitted": "govuk-tag--blue",
    "accepted": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "more_info": "govuk-tag--yellow",
}


def _shape(modifier: str, words: str):
    return format_html(
        '<span class="marmot-rag marmot-rag--{}">'
        '<span class="marmot-rag__shape" aria-hidden="true"></span>'
        "<span>{}</span></span>",
        modifier,
        words,
    )


@register.simple_tag
def rag(value: str):
    """An action's RAG as words and a shape; "Not rated" when blank."""
    if value not in RAG_WORDS:
        return _shape("none", "Not rated")
    return _shape(RAG_SHAPES[value], RAG_WORDS[value])


@register.simple_tag
def assessment(result: str, benchmark: str = "national", label: str = ""):
    """A comparison as words and a shape, e.g. "Worse than England".

    ``label`` names the benchmark (an area name) when known; "higher"/"lower"
    (no better/worse direction) and "not compared" get the neutral shape."""
    name = label or BENCHMARK_NAMES.get(benchmark, benchmark)
    words = {
        "better": f"Better than {name}",
        "similar": f"Similar to {name}",
        "worse": f"Worse than {name}",
        "higher": f"Higher than {name}",
        "lower": f"Lower than {name}",
    }.get(result, f"Not compared with {name}")
    return _shape(RESULT_SHAPES.get(result, "none"), words)


@register.simple_tag
def status_tag(value: str, label: str = ""):
    """A status as a GOV.UK tag (its words carry the meaning, not its colour)."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_TAGS.get(value, "govuk-tag--grey"),
        label or value.replace("_", " ").capitalize(),
    )
