"""Accounts in the admin (ADR 0027): Django's user admin, opened to officers.

Superusers keep the full user admin. Officers (staff, not superusers) list
every account and manage the accounts without admin powers (partners, chairs,
oversight members): names, email address, active, and a new password for
someone who has forgotten theirs (the "Reset password" button). They never
change a superuser's or another officer's account, never see the staff,
superuser, groups or permissions fields (so cannot grant them), and neither add
nor delete accounts (people join by invitation). Who may do what is in
`workstreams.rules` (``can_manage_account`` and friends).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from workstreams import rules

User = get_user_model()

OFFICER_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    ("Personal info", {"fields": ("first_name", "last_name", "email")}),
    (
        "Access",
        {
            "fields": ("is_active",),
            "description": "Untick to stop this person signing in, without "
            "deleting what they wrote. Roles are given by a superuser.",
        },
    ),
    ("Important dates", {"fields": ("last_login", "date_joined")}),
)
OFFICER_READONLY = ("username", "last_login", "date_joined")

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    def has_module_permission(self, request):
        return rules.can_manage_accounts(request.user) or super().has_module_permission(
            request
        )

    def has_view_permission(self, request, obj=None):
        return rules.can_manage_accounts(request.user) or super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return rules.can_manage_accounts(request.user)
        return rules.can_manage_account(request.user, obj)

    def has_add_permission(self, request):
        return rules.can_grant_admin_powers(request.user)

    def has_delete_permission(self, request, obj=None):
        return rules.can_grant_admin_powers(request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None or rules.can_grant_admin_powers(request.user):
            return super().get_fieldsets(request, obj)
        return OFFICER_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if obj is None or rules.can_grant_admin_powers(request.user):
            return super().get_readonly_fields(request, obj)
        return OFFICER_READONLY
