"""Invitations: the only way a partner gets an account (no self-registration).

An officer or a chair invites an email address on behalf of an organisation;
the emailed link carries a random token (``secrets.token_urlsafe(32)``) of
which only the SHA-256 is stored. The link works once, until it expires
(``settings.INVITATION_EXPIRY_DAYS``) or is withdrawn; accepting it makes the
account, the organisation membership and the Partner role in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import BaseUserManager, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from marmot import roles
from marmot.site.mail import absolute_url, mail_send_on_commit
from workstreams import rules
from workstreams.models import Invitation, Organisation, OrganisationMembership

OPEN, EXPIRED, ACCEPTED, WITHDRAWN = "open", "expired", "accepted", "withdrawn"
STATUS_WORDS = {
    OPEN: "Open",
    EXPIRED: "Expired",
    ACCEPTED: "Accepted",
    WITHDRAWN: "Withdrawn",
}

HAS_ACCOUNT = (
    "Someone with this email address already has an account. They can sign in, "
    "or an officer can reset their password in the admin."
)


NOT_YOUR_ORGANISATION = (
    "You can invite partners only for organisations in your workstreams (leading "
    "an action in their workplans, or with a submission to them). Ask an officer "
    "to invite someone for this organisation."
)


class InvitationNotUsable(ValidationError):
    """The link cannot be used: unknown (``status`` 404), or expired, withdrawn
    or already used (410). Its message says which, for the visitor."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message, code="invitation_not_usable")
        self.status = status


def invitation_token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_status(invitation: Invitation, now: dt.datetime | None = None) -> str:
    """One of open, expired, accepted, withdrawn."""
    if invitation.accepted_at:
        return ACCEPTED
    if invitation.withdrawn_at:
        return WITHDRAWN
    if invitation.expires_at <= (now or timezone.now()):
        return EXPIRED
    return OPEN


def _email_normalise(email: str) -> str:
    return BaseUserManager.normalize_email((email or "").strip())


def invitation_email_check(email: str) -> None:
    """Refuse an address that already has an account (whatever its case)."""
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": HAS_ACCOUNT})


def invitation_organisation_check(*, user, organisation: Organisation) -> None:
    """Refuse an organisation ``user`` may not invite for
    (`rules.can_invite_for_organisation`): a chair invites only for the
    organisations in their workstreams; for any other, an officer sends it."""
    if not rules.can_invite_for_organisation(user, organisation):
        raise ValidationError({"organisation": NOT_YOUR_ORGANISATION})


def _new_token(invitation: Invitation) -> str:
    """Give the invitation a fresh token and expiry; return the token (the
    only time it exists in clear: it goes into the email and nowhere else)."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.expires_at = timezone.now() + dt.timedelta(
        days=settings.INVITATION_EXPIRY_DAYS
    )
    return token


def _withdraw_other_open(invitation: Invitation) -> None:
    """One open invitation per address: a new one withdraws the earlier ones."""
    earlier = (
        Invitation.objects.select_for_update()
        .filter(
            email__iexact=invitation.email,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(pk=invitation.pk)
    )
    for other in earlier:  # saved one by one, so each has its history row
        other.withdrawn_at = timezone.now()
        other.save(update_fields=["withdrawn_at", "updated_at"])


def _send(invitation: Invitation, token: str) -> None:
    link = absolute_url(reverse("invitation-accept", args=[token]))
    mail_send_on_commit(
        to=[invitation.email],
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": invitation.organisation.name,
            "inviter": invitation.invited_by.get_full_name()
            or invitation.invited_by.get_username(),
            "link": link,
            "expires_at": invitation.expires_at,
        },
    )


@transaction.atomic
def invitation_create(
    *, email: str, organisation: Organisation, invited_by
) -> Invitation:
    """Invite ``email`` to make a partner account for ``organisation``, and
    email them the link. Officers and chairs only (`rules.can_invite_partners`),
    a chair only for an organisation in their workstreams
    (`rules.invitable_organisations`: a ValidationError on ``organisation``);
    an address that already has an account is refused; an earlier open
    invitation to the same address is withdrawn."""
    if not rules.can_invite_partners(invited_by):
        raise PermissionDenied("Only officers and workstream chairs invite partners.")
    invitation_organisation_check(user=invited_by, organisation=organisation)
    email = _email_normalise(email)
    invitation_email_check(email)
    invitation = Invitation(
        email=email, organisation=organisation, invited_by=invited_by
    )
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    _withdraw_other_open(invitation)
    _send(invitation, token)
    return invitation


def _lock_manageable(*, invitation: Invitation, user) -> Invitation:
    if not rules.can_manage_invitation(user, invitation):
        raise PermissionDenied("You cannot change this invitation.")
    locked = (
        Invitation.objects.select_for_update()
        .select_related("organisation", "invited_by")
        .get(pk=invitation.pk)
    )
    status = invitation_status(locked)
    if status == ACCEPTED:
        raise ValidationError(
            f"The invitation to {locked.email} has already been accepted."
        )
    if status == WITHDRAWN:
        raise ValidationError(
            f"The invitation to {locked.email} was withdrawn. Send a new one instead."
        )
    return locked


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, user) -> Invitation:
    """Stop an invitation's link working (refused once accepted or withdrawn)."""
    locked = _lock_manageable(invitation=invitation, user=user)
    locked.withdrawn_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["withdrawn_at", "updated_at"])
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, user) -> Invitation:
    """Email the invitation again with a new link and a new expiry; the old
    link stops working. Refused once accepted or withdrawn, or if the address
    has an account by now."""
    locked = _lock_manageable(invitation=invitation, user=user)
    invitation_organisation_check(user=user, organisation=locked.organisation)
    invitation_email_check(locked.email)
    token = _new_token(locked)
    locked.full_clean()
    locked.save(update_fields=["token_hash", "expires_at", "updated_at"])
    _withdraw_other_open(locked)
    _send(locked, token)
    return locked


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation this link is for, if it can still be used; otherwise an
    `InvitationNotUsable` saying why."""
    queryset = Invitation.objects.select_related("organisation")
    if lock:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=invitation_token_hash(token)).first()
    if invitation is None:
        raise InvitationNotUsable(
            "This invitation link is not valid. Check you copied the whole link "
            "from the email, or ask the person who invited you for a new one.",
            status=404,
        )
    status = invitation_status(invitation)
    if status == ACCEPTED:
        raise InvitationNotUsable(
            "This invitation has already been used to make an account. Sign in "
            "with the username and password you chose.",
            status=410,
        )
    if status == WITHDRAWN:
        raise InvitationNotUsable(
            "This invitation has been withdrawn. Ask the person who invited you "
            "if you still need an account.",
            status=410,
        )
    if status == EXPIRED:
        raise InvitationNotUsable(
            "This invitation has expired. Ask the person who invited you to send "
            "it again.",
            status=410,
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, first_name: str, last_name: str
):
    """Use an invitation link: make the partner's account (email from the
    invitation), their organisation membership and Partner role, and mark the
    invitation accepted. All or nothing; the invitation row is locked
    (``select_for_update``) so two uses of one link cannot both succeed.

    Refuses an unknown, expired, withdrawn or used link (`InvitationNotUsable`)
    and a weak password (Django's validators, on the ``password`` field).
    """
    invitation = invitation_for_token(token, lock=True)
    User = get_user_model()
    user = User(
        username=(username or "").strip(),
        email=invitation.email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
    )
    errors: dict[str, list] = {}
    for name, words in (("first_name", "first name"), ("last_name", "last name")):
        if not getattr(user, name):
            errors[name] = [f"Enter your {words}"]
    if user.username and User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = ["That username is taken: choose another"]
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    try:
        user.set_unusable_password()  # full_clean needs a password value
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)  # ours first: they say it better
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(HAS_ACCOUNT)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.PARTNER)[0])
    membership = OrganisationMembership(user=user, organisation=invitation.organisation)
    membership.full_clean()
    membership.save()
    invitation.user = user
    invitation.accepted_at = timezone.now()
    invitation.full_clean()
    invitation.save(update_fields=["user", "accepted_at", "updated_at"])
    return user
