"""Judgements are words plus a shape, never colour alone: the core markup the
apps' tags share (``{% load statuses %}``, ``{% load judgements %}``)."""

from django.utils.html import format_html

from marmot.site.shapes import shape


def test_a_shape_is_hidden_from_screen_readers_and_the_words_are_not():
    html = str(shape("red", "Worse than England"))
    assert 'class="marmot-rag marmot-rag--red"' in html
    assert '<span class="marmot-rag__shape" aria-hidden="true"></span>' in html
    assert "<span>Worse than England</span>" in html


def test_a_shape_escapes_its_words_unless_they_are_safe():
    assert "&lt;b&gt;" in str(shape("none", "<b>"))
    assert "<i>R</i>" in str(shape("none", format_html("<i>{}</i>", "R")))
