"""``{% load statuses %}``: workstreams' statuses and RAG in words, never by
colour alone."""

import pytest
from django.template import Context, Template

from workstreams.models import Action, LogicModel, Submission, Workplan
from workstreams.templatetags.statuses import rag, status_tag


def test_rag_is_words_and_a_shape():
    html = str(rag(Action.Rag.RED))
    assert "Red – off track" in html
    assert "marmot-rag--red" in html and 'aria-hidden="true"' in html
    assert "Not rated" in str(rag(""))
    assert "marmot-rag--none" in str(rag(""))


def test_status_tag_text_and_escaping():
    assert "In progress" in str(status_tag(Action.Status.IN_PROGRESS))
    assert "&lt;b&gt;" in str(status_tag("x", "<b>"))


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (Workplan.Status.SIGNED_OFF, "govuk-tag--green"),
        (Workplan.Status.CONSULTATION, "govuk-tag--yellow"),
        (Action.Status.CANCELLED, "govuk-tag--red"),
        (Submission.Status.MORE_INFO, "govuk-tag--yellow"),
        (LogicModel.Status.CURRENT, "govuk-tag--grey"),
        ("not_a_status", "govuk-tag--grey"),
    ],
)
def test_status_tag_colours_a_status_by_its_choice(status, colour):
    assert f'class="govuk-tag {colour}"' in str(status_tag(status, "Label"))


def test_the_tags_render_from_a_template():
    html = Template(
        "{% load statuses %}{% status_tag value label %} {% rag rating %}"
    ).render(Context({"value": "signed_off", "label": "Signed off", "rating": "amber"}))
    assert '<strong class="govuk-tag govuk-tag--green">Signed off</strong>' in html
    assert "Amber – at risk" in html and "marmot-rag--amber" in html
