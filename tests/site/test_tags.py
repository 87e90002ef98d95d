"""Judgements are words plus a shape, never colour alone."""

from marmot.site.templatetags.marmot import assessment, rag, status_tag


def test_rag_is_words_and_a_shape():
    html = str(rag("red"))
    assert "Red – off track" in html
    assert "marmot-rag--red" in html and 'aria-hidden="true"' in html
    assert "Not rated" in str(rag(""))


def test_assessment_names_the_benchmark():
    assert "Worse than England" in str(assessment("worse", "national"))
    assert "Similar to East of England" in str(
        assessment("similar", "region", "East of England")
    )
    assert "Higher than nearest neighbours" in str(
        assessment("higher", "nearest_neighbours")
    )
    assert "Not compared with England" in str(assessment("not_compared"))


def test_status_tag_text_and_escaping():
    assert "In progress" in str(status_tag("in_progress"))
    assert "&lt;b&gt;" in str(status_tag("x", "<b>"))
