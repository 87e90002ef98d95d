"""Officers (staff, not superusers) manage partners', chairs' and oversight
members' accounts in the admin: names, email, active, and a new password. They
never touch a superuser or another officer, and never grant staff, superuser,
groups or permissions (ADR 0027)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from marmot import roles
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-brand-new-long-passphrase"
CHANGELIST = reverse("admin:auth_user_changelist")


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


@pytest.fixture
def users(role_users):
    users = role_users()
    users["other_officer"] = user_with_role(
        roles.OFFICER, username="other_officer", is_staff=True
    )
    users["superuser"] = user_with_role(
        roles.OFFICER, username="root", is_staff=True, is_superuser=True
    )
    return users


@pytest.fixture
def officer(users, client_as):
    return client_as(users["officer"])


def reset(client, user):
    return client.post(
        password_url(user), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def test_an_officer_sees_the_user_list(users, officer):
    response = officer.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "partner" in html and "root" in html
    assert officer.get(reverse("admin:index")).content.decode().count(CHANGELIST) >= 1


@pytest.mark.parametrize("role", ["partner", "chair", "other_chair", "oversight"])
def test_an_officer_resets_a_password(users, officer, role):
    target = users[role]
    form = officer.get(change_url(target)).content.decode()
    assert 'href="../password/">Reset password</a>' in form
    assert officer.get(password_url(target)).status_code == 200
    response = reset(officer, target)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    page = officer.get(response["Location"]).content.decode()
    assert "Password changed successfully" in page


@pytest.mark.parametrize("role", ["superuser", "other_officer", "officer"])
def test_an_officer_cannot_touch_a_superuser_or_an_officer(users, officer, role):
    target = users[role]
    before = target.password
    assert officer.get(password_url(target)).status_code == 403
    assert reset(officer, target).status_code == 403
    response = officer.post(
        change_url(target),
        {"first_name": "X", "last_name": "Y", "email": "x@example.org"},
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.password == before and target.first_name != "X"


def test_an_officer_cannot_make_anyone_staff_or_give_groups(users, officer):
    partner = users["partner"]
    form = officer.get(change_url(partner)).content.decode()
    for field in ("is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in form, field
    officer_group = roles.roles_ensure_groups()[roles.OFFICER]
    response = officer.post(
        change_url(partner),
        {
            "username": "renamed",
            "first_name": "Pat",
            "last_name": "Partner",
            "email": "pat@example.org",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [officer_group.pk],
            "user_permissions": [Permission.objects.first().pk],
        },
    )
    assert response.status_code == 302, response.content
    partner.refresh_from_db()
    assert (partner.first_name, partner.email) == ("Pat", "pat@example.org")
    assert partner.username == "partner"
    assert not partner.is_staff and not partner.is_superuser
    assert list(partner.groups.values_list("name", flat=True)) == [roles.PARTNER]
    assert not partner.user_permissions.exists()


def test_an_officer_cannot_add_or_delete_accounts(users, officer):
    assert officer.get(reverse("admin:auth_user_add")).status_code == 403
    delete = reverse("admin:auth_user_delete", args=[users["partner"].pk])
    assert officer.post(delete, {"post": "yes"}).status_code == 403
    assert type(users["partner"]).objects.filter(pk=users["partner"].pk).exists()


def test_a_superuser_still_manages_every_account(users, client_as):
    client = client_as(users["superuser"])
    target = users["other_officer"]
    assert reset(client, target).status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    form = client.get(change_url(target)).content.decode()
    assert 'name="is_superuser"' in form and 'name="groups"' in form


@pytest.mark.parametrize("role", ["chair", "oversight", "partner", "anonymous"])
def test_nobody_else_reaches_the_user_admin(users, client_as, role):
    client = client_as(users[role])
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(password_url(users["partner"])).status_code == 302
