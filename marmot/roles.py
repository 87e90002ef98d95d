"""Roles, as Django groups, and the relations that scope them.

- Officer: administers everything (staff, with every permission on our apps),
  and resets the passwords of the accounts without admin powers (ADR 0027).
- Workstream chair: a user named as a workstream's chair or deputy.
- Oversight member: reads every workstream's progress, writes nothing.
- Partner: a user with an OrganisationMembership.

What a user's roles let them do is decided in one place,
`workstreams.rules` (its `Principal`, computed once per user); this module
only names the groups and creates them.
"""

from django.contrib.auth.models import Group, Permission

OFFICER = "Officer"
WORKSTREAM_CHAIR = "Workstream chair"
OVERSIGHT_MEMBER = "Oversight member"
PARTNER = "Partner"
ALL_ROLES = (OFFICER, WORKSTREAM_CHAIR, OVERSIGHT_MEMBER, PARTNER)

OFFICER_APPS = ("workstreams", "indicators", "outbox")  # outbox: mail queue, read-only


def roles_ensure_groups() -> dict[str, Group]:
    """Create the role groups if missing and give officers our apps' permissions."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ALL_ROLES}
    officer_perms = Permission.objects.filter(content_type__app_label__in=OFFICER_APPS)
    groups[OFFICER].permissions.set(officer_perms)
    return groups


def user_has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role).exists()
