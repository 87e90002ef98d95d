"""``{% load statuses %}``: workstreams' statuses and an action's RAG, shown by
their words and never by colour alone.

``{% status_tag value label %}`` is a GOV.UK tag for the status of a workplan,
an action (or its update), a submission or a logic model. ``{% rag value %}``
is an action's RAG rating as words plus a shape (:func:`marmot.site.shapes.shape`).
"""

from django import template
from django.utils.html import format_html

from marmot.site.shapes import shape
from workstreams.models import Action, LogicModel, Submission, Workplan

register = template.Library()

#: A tag colour per status; any other status is grey. Workplan and logic model
#: drafts share the value "draft".
STATUS_TAGS = {
    Action.Status.PLANNED: "govuk-tag--grey",
    Action.Status.IN_PROGRESS: "govuk-tag--blue",
    Action.Status.COMPLETED: "govuk-tag--green",
    Action.Status.ON_HOLD: "govuk-tag--yellow",
    Action.Status.CANCELLED: "govuk-tag--red",
    Workplan.Status.DRAFT: "govuk-tag--grey",
    Workplan.Status.CONSULTATION: "govuk-tag--yellow",
    Workplan.Status.SIGNED_OFF: "govuk-tag--green",
    Workplan.Status.CLOSED: "govuk-tag--blue",
    Submission.Status.SUBMITTED: "govuk-tag--blue",
    Submission.Status.ACCEPTED: "govuk-tag--green",
    Submission.Status.REJECTED: "govuk-tag--red",
    Submission.Status.MORE_INFO: "govuk-tag--yellow",
    LogicModel.Status.CURRENT: "govuk-tag--grey",
    LogicModel.Status.SUPERSEDED: "govuk-tag--grey",
}
NO_STATUS_TAG = "govuk-tag--grey"

# A rating's shape: circle (green), triangle (amber), diamond (red), the shapes
# of better, similar and worse comparisons.
RAG_SHAPES = {
    Action.Rag.GREEN: "green",
    Action.Rag.AMBER: "amber",
    Action.Rag.RED: "red",
}
#: A rating in words, also the choices of the progress page's RAG filter.
RAG_WORDS = {
    Action.Rag.GREEN: "Green – on track",
    Action.Rag.AMBER: "Amber – at risk",
    Action.Rag.RED: "Red – off track",
}
NOT_RATED = "Not rated"


@register.simple_tag
def rag(value: str):
    """An action's RAG as words and a shape; "Not rated" when blank."""
    if value not in RAG_WORDS:
        return shape("none", NOT_RATED)
    return shape(RAG_SHAPES[value], RAG_WORDS[value])


@register.simple_tag
def status_tag(value: str, label: str = ""):
    """A status as a GOV.UK tag (its words carry the meaning, not its colour):
    ``label`` (the choice's display) or else the value made readable."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_TAGS.get(value, NO_STATUS_TAG),
        label or value.replace("_", " ").capitalize(),
    )
