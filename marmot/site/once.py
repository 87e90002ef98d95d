"""One-time form tokens: a form sent twice makes one row (ADR 0028).

A create form carries a hidden random ``form_token`` (`OnceFormMixin`). The
view, wrapped in `once_per_form_token`, claims the token atomically in the
default cache (``cache.add``) before it runs:

- the first POST with a token runs the view; when it succeeds (a redirect),
  the redirect's address is kept under the token for `TOKEN_SECONDS`; when it
  does not (the form is shown again with errors), the claim is dropped, so the
  corrected form, which carries the same token, can be sent;
- a second POST with the same token (a double click, a reload, a retry after
  a timeout) does not run the view: it is redirected to the first one's result
  with a message saying it was saved once. If the first is still being saved,
  it waits for it (at most `WAIT_SECONDS`).

Tokens are the user's own (the cache key holds the user's id and the form's
address), so nobody can use up another person's token. A POST without a token
(a script, an old page) is handled as before. Like the rate limits, the claim
is shared between workers only when the default cache is (see the README on
a shared cache in production).
"""

from __future__ import annotations

import functools
import re
import secrets
import time

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect

FIELD = "form_token"
TOKEN_SECONDS = 60 * 60 * 24
WAIT_SECONDS = 10
PENDING = "\x00pending"
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ALREADY_SENT = (
    "You sent this form more than once. It was saved once: here is the result."
)
STILL_SAVING = (
    "You sent this form more than once and the first one is still being "
    "saved. Check here before sending it again."
)


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


class OnceFormMixin:
    """Adds the hidden one-time ``form_token`` to a form (rendered with the
    form's hidden fields) and leaves it out of ``cleaned_data``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=new_form_token,
        )

    def clean(self):
        cleaned = super().clean()
        cleaned.pop(FIELD, None)
        return cleaned


def _key(request, token: str) -> str | None:
    if not request.user.is_authenticated or not TOKEN_SHAPE.match(token):
        return None
    return f"form-once:{request.user.pk}:{request.path}:{token}"


def _repeat(request, key: str):
    """A token already claimed: redirect to the first POST's result."""
    deadline = time.monotonic() + WAIT_SECONDS
    result = cache.get(key)
    while result == PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
        result = cache.get(key)
    if result and result != PENDING:
        messages.info(request, ALREADY_SENT)
        return redirect(result)
    messages.warning(request, STILL_SAVING)
    return redirect(request.get_full_path())


def once_per_form_token(view):
    """Run a create view at most once per form token (see the module)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        key = _key(request, token) if token else None
        if key is None:
            return view(request, *args, **kwargs)
        if not cache.add(key, PENDING, TOKEN_SECONDS):
            return _repeat(request, key)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            cache.set(key, response["Location"], TOKEN_SECONDS)
        else:
            cache.delete(key)  # not saved (errors shown): may be sent again
        return response

    return wrapped
