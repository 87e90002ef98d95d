"""Comments on a workplan while it is out for consultation with partners."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from marmot.principals import principal_for
from marmot.site.mail import absolute_url, mail_send_on_commit
from workstreams import rules
from workstreams.models import Workplan, WorkplanComment

COMMENT_MAX_LENGTH = 5000


def _chairs(workplan: Workplan) -> list:
    """The workstream's chair and deputies, who are told of each comment."""
    workstream = workplan.workstream
    people = list(workstream.deputies.all())
    if workstream.chair is not None:
        people.insert(0, workstream.chair)
    return people


@transaction.atomic
def workplan_comment_create(
    *, workplan: Workplan, author, body: str
) -> WorkplanComment:
    """Record a comment on a workplan in consultation and email the
    workstream's chair and deputies (not the author) a link to it.

    Allowed per `rules.can_comment_on_workplan`: partners (the comment records
    their organisation), the workstream's chairs and officers, and only while
    the workplan is in consultation. The body is required, at most 5,000
    characters, and stored as typed (shown as text, never as HTML).
    """
    # Locked, so a status change cannot slip in between the check and the save.
    workplan = (
        Workplan.objects.select_for_update(of=("self",))
        .select_related("workstream__chair")
        .get(pk=workplan.pk)
    )
    if workplan.status != Workplan.Status.CONSULTATION:
        raise ValidationError(
            "This workplan is no longer in consultation, so it cannot take "
            "comments. Your comment has not been saved."
        )
    if not rules.can_comment_on_workplan(author, workplan):
        raise PermissionDenied("You cannot comment on this workplan.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter your comment"})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Your comment must be {COMMENT_MAX_LENGTH:,} characters or fewer"}
        )
    principal = principal_for(author)
    comment = WorkplanComment(
        workplan=workplan,
        author=author,
        organisation_id=principal.organisation_id if principal.is_partner else None,
        body=body,
    )
    comment.full_clean()
    comment.save()
    workstream = workplan.workstream
    mail_send_on_commit(
        to=[person.email for person in _chairs(workplan) if person.pk != author.pk],
        template="workplan_comment",
        context={
            "workstream": workstream.name,
            "workplan": workplan.year_label,
            "author": author.get_full_name() or author.get_username(),
            "organisation": comment.organisation.name if comment.organisation else "",
            "body": body,
            "link": absolute_url(reverse("workplan-comments", args=[workplan.pk])),
        },
    )
    return comment
