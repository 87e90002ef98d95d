"""Admin for invitations: the list (never the token's hash), sending one, and
the "Resend" and "Withdraw" actions. Every change goes through
`workstreams.services` (so the email is sent and the rules hold); an
invitation itself is never edited or deleted here, only read."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from marmot.admin_helpers import HistoryAdmin
from workstreams import rules, services
from workstreams.models import Invitation
from workstreams.services.invitations import (
    STATUS_WORDS,
    invitation_email_check,
    invitation_organisation_check,
    invitation_status,
)


class InvitationAddForm(forms.ModelForm):
    """Email and organisation; the service does the rest when saved."""

    class Meta:
        model = Invitation
        fields = ["email", "organisation"]

    user = None  # the signed-in user, set by `InvitationAdmin.get_form`

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        try:
            invitation_organisation_check(user=self.user, organisation=organisation)
        except ValidationError as error:
            raise ValidationError(error.message_dict["organisation"]) from None
        return organisation

    def clean_email(self):
        email = self.cleaned_data["email"]
        try:
            invitation_email_check(email)
        except ValidationError as error:
            raise ValidationError(error.message_dict["email"]) from None
        return email


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    list_display = [
        "email",
        "organisation",
        "invited_by",
        "status",
        "created_at",
        "expires_at",
        "accepted_at",
        "user",
    ]
    list_select_related = ["organisation", "invited_by", "user"]
    list_filter = ["organisation"]
    search_fields = ["email", "organisation__name"]
    date_hierarchy = "created_at"
    actions = ["resend", "withdraw"]
    autocomplete_fields = ["organisation"]
    fields = [
        "email",
        "organisation",
        "invited_by",
        "status",
        "created_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
        "user",
    ]
    readonly_fields = fields

    @admin.display(description="Status")
    def status(self, obj):
        return STATUS_WORDS[invitation_status(obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type(
                "InvitationAddForm", (InvitationAddForm,), {"user": request.user}
            )
            kwargs["fields"] = InvitationAddForm.Meta.fields
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return InvitationAddForm.Meta.fields if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_add_permission(self, request):
        return super().has_add_permission(request) and rules.can_invite_partners(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Send through `services.invitation_create`, then point the admin's
        object at the saved invitation (for its log and the redirect)."""
        created = services.invitation_create(
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            invited_by=request.user,
        )
        for field in Invitation._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        obj._state.db = created._state.db

    def _each(self, request, queryset, service, done: str):
        changed = 0
        for invitation in queryset.select_related("organisation", "invited_by"):
            if not rules.can_manage_invitation(request.user, invitation):
                self.message_user(
                    request,
                    f"You cannot change the invitation to {invitation.email}.",
                    messages.ERROR,
                )
                continue
            try:
                service(invitation=invitation, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                f"{done} {changed} invitation{'s' if changed != 1 else ''}.",
                messages.SUCCESS,
            )

    @admin.action(description="Resend the selected invitations (new link)")
    def resend(self, request, queryset):
        self._each(request, queryset, services.invitation_resend, "Resent")

    @admin.action(description="Withdraw the selected invitations")
    def withdraw(self, request, queryset):
        self._each(request, queryset, services.invitation_withdraw, "Withdrew")
