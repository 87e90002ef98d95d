"""The markup of a judgement shown as words plus a shape, never by colour alone.

Core owns the markup (and the ``marmot-rag`` styles); each app owns its
vocabulary and says which shape its values take: workstreams' action RAG
(``{% load statuses %}``), indicators' comparisons and trends
(``{% load judgements %}``). Shapes in use: ``green`` (circle), ``amber``
(triangle), ``red`` (diamond), ``flat`` (bar) and ``none`` (empty square)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString


def shape(modifier: str, words: str) -> SafeString:
    """``words`` after the shape named by ``modifier`` (hidden from screen
    readers: the words carry the meaning). ``words`` is escaped unless safe."""
    return format_html(
        '<span class="marmot-rag marmot-rag--{}">'
        '<span class="marmot-rag__shape" aria-hidden="true"></span>'
        "<span>{}</span></span>",
        modifier,
        words,
    )
