"""The invitations pages: the list an officer or chair manages (with each
invitation's status), and the choices of the invitation form. One query for the
list, whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from workstreams import rules
from workstreams.models import Invitation, Organisation
from workstreams.services.invitations import STATUS_WORDS, invitation_status

STATUS_TAG_CLASSES = {
    "open": "govuk-tag--blue",
    "expired": "govuk-tag--grey",
    "accepted": "govuk-tag--green",
    "withdrawn": "govuk-tag--red",
}


@dataclass
class InvitationRow:
    invitation: Invitation
    status: str
    status_words: str
    tag_class: str
    can_manage: bool

    @property
    def can_change(self) -> bool:
        """Withdraw or resend: while not yet accepted or withdrawn."""
        return self.can_manage and self.status in ("open", "expired")


def invitation_rows(*, user, now: dt.datetime | None = None) -> list[InvitationRow]:
    """The invitations ``user`` may see (`rules.visible_invitations`), newest
    first, each with its status and whether the user may withdraw or resend it."""
    now = now or timezone.now()
    invitations = rules.visible_invitations(
        user,
        Invitation.objects.select_related("organisation", "invited_by", "user"),
    ).order_by("-created_at", "-pk")
    rows = []
    for invitation in invitations:
        status = invitation_status(invitation, now)
        rows.append(
            InvitationRow(
                invitation=invitation,
                status=status,
                status_words=STATUS_WORDS[status],
                tag_class=STATUS_TAG_CLASSES[status],
                can_manage=rules.can_manage_invitation(user, invitation),
            )
        )
    return rows


def invitation_get(pk: int) -> Invitation:
    """The invitation (404 if none), for the permission check and a change."""
    return get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), pk=pk
    )


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")
