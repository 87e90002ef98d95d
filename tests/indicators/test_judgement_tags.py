"""``{% load judgements %}``: comparisons in words plus a shape."""

from django.template import Context, Template

from indicators.models import Assessment
from indicators.templatetags.judgements import assessment

R = Assessment.Result
B = Assessment.Benchmark


def test_assessment_names_the_benchmark():
    assert "Worse than England" in str(assessment(R.WORSE, B.NATIONAL))
    assert "Similar to East of England" in str(
        assessment(R.SIMILAR, B.REGION, "East of England")
    )
    assert "Higher than nearest neighbours" in str(
        assessment(R.HIGHER, B.NEAREST_NEIGHBOURS)
    )
    assert "Not compared with England" in str(assessment(R.NOT_COMPARED))


def test_assessment_shapes_only_better_similar_and_worse():
    assert "marmot-rag--green" in str(assessment(R.BETTER))
    assert "marmot-rag--red" in str(assessment(R.WORSE))
    assert "marmot-rag--none" in str(assessment(R.LOWER))


def test_assessment_renders_from_a_template_and_escapes_the_label():
    html = Template(
        '{% load judgements %}{% assessment "better" "region" name %}'
    ).render(Context({"name": "<b>Here</b>"}))
    assert "Better than &lt;b&gt;Here&lt;/b&gt;" in html
