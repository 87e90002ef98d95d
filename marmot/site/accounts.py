"""Your account: every signed-in user changes their own password (ADR 0027).

Django's `PasswordChangeView` in the site's design. On success this browser
stays signed in (`update_session_auth_hash`, which the view calls); every other
session of the account is signed out, because Django checks each session
against the password hash, and every API token is revoked
(`marmot.api.tokens`). POSTs count against the sign-in rate limit, so a
borrowed session cannot be used to guess the current password.
"""

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from marmot.site.forms import GovukFormMixin
from marmot.site.ratelimit import rate_limited

HINT_FOR_NEW = (
    "At least 12 characters. Not a common password, not all numbers, and not "
    "like your name, username or email address."
)


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is incorrect. "
        "Enter it again; it is case-sensitive.",
        "password_mismatch": "The new passwords do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # No autofocus: it would skip the skip link and the page's heading.
        fields["old_password"].widget.attrs.pop("autofocus", None)
        fields["old_password"].label = "Current password"
        fields["old_password"].error_messages["required"] = (
            "Enter your current password"
        )
        fields["new_password1"].label = "New password"
        fields["new_password1"].help_text = HINT_FOR_NEW
        fields["new_password1"].error_messages["required"] = "Enter a new password"
        fields["new_password2"].label = "Confirm new password"
        fields["new_password2"].help_text = ""
        fields["new_password2"].error_messages["required"] = (
            "Enter your new password again"
        )


@method_decorator(rate_limited("login"), name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password has been changed. You are still signed in here; "
            "other browsers and API tokens have been signed out.",
        )
        return response
