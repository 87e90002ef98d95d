"""Invitations: officers and chairs invite partners (there is no
self-registration), and the invited person makes their account from the link.

- ``/invitations/``: the invitations the user may see, with their status and
  "Withdraw" / "Resend" buttons (each a POST form of its own);
- ``/invitations/new/``: email address and organisation;
- ``/invitations/accept/<token>/``: anonymous; name, username and password.

Who may do what is `rules.can_invite_partners` / `rules.can_manage_invitation`;
every write goes through `workstreams.services` (the admin uses the same). The
accept pages are never cached; the emailed link answers with
``Referrer-Policy: no-referrer`` and moves its token into the session, so the
token leaks into no Referer, history or log; the POST is rate-limited.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import Resolver404, path, resolve, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from marmot.site.access import require
from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin, once_per_form_token
from marmot.site.ratelimit import rate_limited
from workstreams import rules, services
from workstreams.forms.common import add_service_errors
from workstreams.page_selectors.invitations import (
    invitation_get,
    invitation_rows,
    organisation_choices,
)
from workstreams.services.invitations import invitation_for_token

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
LANDING = "/submissions/"
# The accept form's address holds this instead of the token (in the session).
ACCEPT_FORM_SLUG = "make-account"
ACCEPT_SESSION_KEY = "_invitation_token"
SESSION_LOST = services.InvitationNotUsable(
    "We could not find your invitation. Open the link in your invitation email "
    "again, in this browser.",
    status=404,
)


class InvitationForm(OnceFormMixin, GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation link is sent here. It works once, for "
        "a limited time.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like "
            "name@example.org",
            "max_length": "The email address must be 254 characters or fewer",
        },
    )
    organisation = forms.ModelChoiceField(
        queryset=None,
        label="Organisation",
        help_text="The partner organisation they will act for.",
        widget=forms.Select(attrs={"data-marmot-autocomplete": ""}),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the organisation they will act for",
            "invalid_choice": "Select an organisation from the list",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organisations the user may invite for (a chair: those in
        # their workstreams); the service checks it again.
        self.fields["organisation"].queryset = rules.invitable_organisations(
            user, organisation_choices()
        )


class AcceptForm(GovukForm):
    first_name = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={
            "required": "Enter your first name",
            "max_length": "Your first name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={
            "required": "Enter your last name",
            "max_length": "Your last name must be 150 characters or fewer",
        },
    )
    username = forms.CharField(
        max_length=150,
        help_text="You sign in with this. Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": "Enter a username",
            "max_length": "Your username must be 150 characters or fewer",
        },
    )
    password = forms.CharField(
        strip=False,
        help_text="At least 12 characters. Not a common password, not all "
        "numbers, and not like your name, username or email address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_confirm = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def clean(self):
        cleaned = super().clean()
        first, again = cleaned.get("password"), cleaned.get("password_confirm")
        if first and again and first != again:
            self.add_error("password_confirm", "The passwords do not match")
        return cleaned


@require_safe
def invitation_list(request):
    """Officers see every invitation, a chair the ones they sent."""
    if denied := require(request, rules.can_invite_partners(request.user)):
        return denied
    rows = invitation_rows(user=request.user)
    return render(request, "workstreams/invitations/list.html", {"rows": rows})


@once_per_form_token
def invitation_create(request):
    """Invite someone by email on behalf of an organisation (the service
    refuses an address that already has an account, on the email field)."""
    if denied := require(request, rules.can_invite_partners(request.user)):
        return denied
    form = InvitationForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email} for "
                f"{invitation.organisation.name}.",
            )
            return redirect("invitation-list")
    return render(request, "workstreams/invitations/form.html", {"form": form})


def _change(request, pk: int, service, done: str):
    invitation = invitation_get(pk)
    if denied := require(
        request, rules.can_manage_invitation(request.user, invitation)
    ):
        return denied
    try:
        service(invitation=invitation, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{done} {invitation.email}.")
    return redirect("invitation-list")


@require_POST
def invitation_withdraw(request, pk: int):
    return _change(
        request, pk, services.invitation_withdraw, "Invitation withdrawn for"
    )


@require_POST
def invitation_resend(request, pk: int):
    return _change(
        request, pk, services.invitation_resend, "A new invitation link was sent to"
    )


def _landing() -> str:
    """Partners' submissions page when the site has one, else the overview."""
    try:
        resolve(LANDING)
    except Resolver404:
        return "/"
    return LANDING


def _unusable(request, error: services.InvitationNotUsable):
    return render(
        request,
        "workstreams/invitations/unusable.html",
        {"message": error.message},
        status=error.status,
    )


def _accept_token(request, token: str) -> str:
    """The token: from the address, or (at the form's address) from the session."""
    if token == ACCEPT_FORM_SLUG:
        return request.session.get(ACCEPT_SESSION_KEY, "")
    return token


def _without_token_in_address(view):
    """The emailed link's own responses send ``Referrer-Policy: no-referrer``.

    The form itself is served from an address without the token (the token is
    kept in the session, as Django's password reset does): a form on a
    ``no-referrer`` page would be posted with ``Origin: null``, which CSRF
    protection rightly refuses."""

    @functools.wraps(view)
    def wrapped(request, token: str):
        response = view(request, token)
        if token != ACCEPT_FORM_SLUG:
            response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


@never_cache
@_without_token_in_address
@rate_limited("invitation")
def invitation_accept(request, token: str):
    """Make an account from an invitation link, then sign in as it.

    Opening the emailed link checks it and moves the token into the session,
    redirecting to the same page without it (so it is not in the address bar,
    the history or any Referer). An unknown link is a 404 page, an expired,
    withdrawn or used one a 410, each saying what to do. Password rules are
    Django's validators; their messages show on the password field and nothing
    is saved.
    """
    real_token = _accept_token(request, token)
    if not real_token:
        return _unusable(request, SESSION_LOST)
    try:
        invitation = invitation_for_token(real_token)
    except services.InvitationNotUsable as error:
        return _unusable(request, error)
    if token != ACCEPT_FORM_SLUG:
        request.session[ACCEPT_SESSION_KEY] = real_token
        if request.method != "POST":
            return redirect("invitation-accept", token=ACCEPT_FORM_SLUG)
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                token=real_token,
                username=data["username"],
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except services.InvitationNotUsable as error:
            return _unusable(request, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(ACCEPT_SESSION_KEY, None)
            login(request, user, backend=SIGN_IN_BACKEND)
            messages.success(
                request,
                f"Your account is ready and you are signed in as {user.username}.",
            )
            return redirect(_landing())
    return render(
        request,
        "workstreams/invitations/accept.html",
        {
            "form": form,
            "invitation": invitation,
            "action": reverse("invitation-accept", args=[ACCEPT_FORM_SLUG]),
        },
    )


urlpatterns = [
    path("invitations/", invitation_list, name="invitation-list"),
    path("invitations/new/", invitation_create, name="invitation-create"),
    path(
        "invitations/<int:pk>/withdraw/",
        invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("invitations/<int:pk>/resend/", invitation_resend, name="invitation-resend"),
    path(
        "invitations/accept/<str:token>/",
        invitation_accept,
        name="invitation-accept",
    ),
]
