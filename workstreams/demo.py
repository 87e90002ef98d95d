"""Demo accounts for trying the product: one per role, fresh passwords each run.

Never called from migrations: demo accounts exist only when someone asks.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from marmot import roles
from workstreams.models import Organisation, OrganisationMembership, Workstream

DEMO_EMAIL_DOMAIN = "demo.invalid"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    scope: str


def _set_account(
    *, username: str, role: str, full_name: str, is_staff: bool = False
) -> tuple:
    user_model = get_user_model()
    first, _, last = full_name.partition(" ")
    user, _ = user_model.objects.update_or_create(
        username=username,
        defaults={
            "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
            "first_name": first,
            "last_name": last,
            "is_staff": is_staff,
            "is_active": True,
        },
    )
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    user.groups.set([roles.roles_ensure_groups()[role]])
    return user, password


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create or reset one account per role; return their new credentials.

    - an officer (staff: the Django admin),
    - an oversight-group member,
    - a chair for each workstream (made the workstream's chair),
    - a partner for the first anchor institution (or first organisation).
    """
    accounts: list[DemoAccount] = []
    _, password = _set_account(
        username="officer", role=roles.OFFICER, full_name="Demo Officer", is_staff=True
    )
    accounts.append(DemoAccount("officer", password, roles.OFFICER, "everything"))

    _, password = _set_account(
        username="oversight", role=roles.OVERSIGHT_MEMBER, full_name="Demo Oversight"
    )
    accounts.append(
        DemoAccount("oversight", password, roles.OVERSIGHT_MEMBER, "all workstreams")
    )

    for workstream in Workstream.objects.order_by("display_order", "name"):
        username = f"chair-{workstream.slug}"[:150]
        user, password = _set_account(
            username=username, role=roles.WORKSTREAM_CHAIR, full_name="Demo Chair"
        )
        workstream.chair = user
        workstream.save(update_fields=["chair", "updated_at"])
        accounts.append(
            DemoAccount(username, password, roles.WORKSTREAM_CHAIR, workstream.name)
        )

    organisation = Organisation.objects.order_by(
        "-is_anchor_institution", "name"
    ).first()
    if organisation is not None:
        user, password = _set_account(
            username="partner", role=roles.PARTNER, full_name="Demo Partner"
        )
        OrganisationMembership.objects.update_or_create(
            user=user, defaults={"organisation": organisation}
        )
        accounts.append(
            DemoAccount("partner", password, roles.PARTNER, organisation.name)
        )
    return accounts
