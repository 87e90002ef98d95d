"""API tokens for scripts (django-rest-knox; ADR 0027): issued, revoked, and
revoked by every change of a user's password.

A token is stored only as a hash and expires ``REST_KNOX["TOKEN_TTL"]`` after
it is issued. Logging out revokes one token, logging out everywhere all of a
user's tokens. A new password hash, saved by any path (the site's password
page, the admin's password forms, ``set_password`` in a shell or a command),
revokes all of them: the receiver watches the saved hash, not the forms.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import exceptions

HASH_AT_LOAD = "_marmot_hash_at_load"


class TokenAuthentication(knox_auth.TokenAuthentication):
    """knox's ``Authorization: Token <key>``, except that a key that is not
    UTF-8 is a 401 like any other bad key (knox itself raises a 500)."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return super().authenticate_credentials(token)


class TokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (drf-spectacular's own knox extension
    matches only knox's class, not this subclass)."""

    target_class = "marmot.api.tokens.TokenAuthentication"
    name = "knoxApiToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix=knox_settings.AUTH_HEADER_PREFIX,
        )
        scheme["description"] = (
            'Send `Authorization: Token <token>`, the token from "auth/token/". '
            "It expires (see `expiry`); a password change or `auth/logout/` "
            "revokes it sooner."
        )
        return scheme


@transaction.atomic
def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for ``user``: the stored row (with its ``expiry``) and the
    key to send as ``Authorization: Token <key>``, shown only this once. The
    user's expired tokens are deleted on the way, so rows do not pile up."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


@transaction.atomic
def api_token_revoke(*, token: AuthToken) -> None:
    """Revoke one token (logging out of one script)."""
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, user) -> int:
    """Revoke every token of ``user``; how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def _remember_password(sender, instance, **kwargs) -> None:
    # __dict__, not the attribute: a deferred password must not cost a query.
    setattr(instance, HASH_AT_LOAD, instance.__dict__.get("password"))


def _revoke_on_password_change(
    sender, instance, created, update_fields=None, **kwargs
) -> None:
    saved = instance.__dict__.get("password")
    touched = update_fields is None or "password" in update_fields
    if not created and touched and saved != getattr(instance, HASH_AT_LOAD, None):
        api_tokens_revoke_all(user=instance)
    setattr(instance, HASH_AT_LOAD, saved)


def install() -> None:
    """Connect the receivers (``SiteConfig.ready``)."""
    user_model = get_user_model()
    post_init.connect(
        _remember_password, sender=user_model, dispatch_uid="marmot-token-password"
    )
    post_save.connect(
        _revoke_on_password_change,
        sender=user_model,
        dispatch_uid="marmot-token-revoke",
    )
