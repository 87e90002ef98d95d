"""The workplan comments page (`/workplans/<pk>/comments/`) through the HTTP
client, per role; the links to it from the chair's workplan page and the
workstream's progress page; a fixed number of queries."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from tests.workstreams.factories import ActionFactory, WorkplanPriorityFactory
from tests.workstreams.fixtures import build_world, partner_of
from workstreams.models import Workplan, WorkplanComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_world(role_users, own_status=Workplan.Status.CONSULTATION)


def url(world):
    return reverse("workplan-comments", args=[world.workplan.pk])


def add(world, author, body, organisation=None):
    return WorkplanComment.objects.create(
        workplan=world.workplan, author=author, organisation=organisation, body=body
    )


@pytest.mark.parametrize(
    ("role", "status", "form"),
    [
        ("anonymous", 302, False),
        ("partner", 200, True),
        ("chair", 200, True),
        ("other_chair", 403, False),
        ("oversight", 200, False),
        ("officer", 200, True),
    ],
)
def test_who_sees_the_page_and_the_form(world, client_as, role, status, form):
    response = client_as(world.users[role]).get(url(world))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        html = response.content.decode()
        assert "Comments on the workplan 2024/25" in html
        assert "Warm homes" in html and "Damp and mould taskforce" in html
        assert ('name="body"' in html) is form
        assert "This draft workplan is out for consultation" in html
        assert "not in consultation now" not in html


def test_partners_see_their_organisations_comments_chairs_see_all(world, client_as):
    stranger = partner_of(world.other_org, "stranger")
    add(world, world.users["partner"], "Ours: add damp checks.", world.org)
    add(world, stranger, "Theirs: more apprenticeships.", world.other_org)
    add(world, world.users["chair"], "Chair: thanks, noted.")
    partner_page = client_as(world.users["partner"]).get(url(world)).content.decode()
    assert "Ours: add damp checks." in partner_page
    assert "Theirs" not in partner_page and "Chair: thanks" not in partner_page
    assert "Comments (1)" in partner_page
    assert "You see the comments from your own organisation." in partner_page
    stranger_page = client_as(stranger).get(url(world)).content.decode()
    assert "Theirs: more apprenticeships." in stranger_page
    assert "Ours" not in stranger_page
    for role in ("chair", "oversight", "officer"):
        page = client_as(world.users[role]).get(url(world)).content.decode()
        assert "Comments (3)" in page
        assert page.index("Ours:") < page.index("Theirs:") < page.index("Chair:")
        assert "Testshire Housing Trust" in page


def test_a_partner_comments_through_the_form(
    world, client_as, django_capture_on_commit_callbacks
):
    world.own.chair.email = "chair@example.org"
    world.own.chair.save()
    client = client_as(world.users["partner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), {"body": "<script>alert(1)</script> ok"})
    assert response.status_code == 302
    assert response["Location"] == url(world) + "#comments"
    saved = WorkplanComment.objects.get()
    assert (saved.author, saved.organisation) == (world.users["partner"], world.org)
    assert [m.to for m in mail.outbox] == [["chair@example.org"]]
    html = client.get(url(world)).content.decode()
    assert "Your comment has been added." in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok" in html
    assert "<script>alert(1)" not in html


def test_an_empty_comment_is_an_error_and_nothing_is_saved(world, client_as):
    response = client_as(world.users["partner"]).post(url(world), {"body": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#id_body"' in html
    assert "Enter your comment" in html
    assert not WorkplanComment.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_chair", 403), ("oversight", 403)],
)
def test_forged_comments_are_refused(world, client_as, role, status):
    response = client_as(world.users[role]).post(url(world), {"body": "Forged"})
    assert response.status_code == status
    assert not WorkplanComment.objects.exists()


def test_commenting_after_consultation_ends_saves_nothing_and_says_why(
    world, client_as
):
    client = client_as(world.users["partner"])
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=dt.date(2024, 5, 1)
    )
    response = client.post(url(world), {"body": "Too late"}, follow=True)
    html = response.content.decode()
    assert "no longer in consultation" in html
    assert "not in consultation now" in html and 'name="body"' not in html
    assert not WorkplanComment.objects.exists()


def test_a_draft_is_closed_to_partners_but_open_to_its_chair(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(status="draft")
    assert client_as(world.users["partner"]).get(url(world)).status_code == 403
    chair_page = client_as(world.users["chair"]).get(url(world))
    assert chair_page.status_code == 200
    assert 'name="body"' not in chair_page.content.decode()
    manage = client_as(world.users["chair"]).get(
        reverse("workplan-manage", args=[world.own.slug])
    )
    assert "Comments from partners" not in manage.content.decode()  # never went out
    assert (
        client_as(world.users["chair"])
        .get(reverse("workplan-comments", args=[999999]))
        .status_code
        == 404
    )


def test_the_chairs_workplan_page_counts_the_comments(world, client_as):
    add(world, world.users["partner"], "One", world.org)
    add(world, world.users["partner"], "Two", world.org)
    html = (
        client_as(world.users["chair"])
        .get(reverse("workplan-manage", args=[world.own.slug]))
        .content.decode()
    )
    assert "Comments from partners (2)" in html
    assert f'href="{url(world)}"' in html


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("anonymous", False),
        ("partner", True),
        ("chair", True),
        ("oversight", False),
        ("officer", True),
    ],
)
def test_the_progress_page_links_to_commenting_for_those_who_may(
    world, client_as, role, shown
):
    html = (
        client_as(world.users[role])
        .get(reverse("workstream-detail", args=[world.own.slug]))
        .content.decode()
    )
    assert ("Comment on this draft workplan" in html) is shown


def test_no_comment_link_once_signed_off(world, client_as):
    Workplan.objects.filter(pk=world.workplan.pk).update(
        status=Workplan.Status.SIGNED_OFF, signed_off_on=dt.date(2024, 5, 1)
    )
    html = (
        client_as(world.users["partner"])
        .get(reverse("workstream-detail", args=[world.own.slug]))
        .content.decode()
    )
    assert "Comment on this draft workplan" not in html


@pytest.mark.parametrize("size", [2, 15])
@pytest.mark.parametrize("role", ["partner", "chair"])
def test_the_page_takes_a_fixed_number_of_queries(
    role_users, client_as, django_assert_max_num_queries, size, role
):
    world = build_world(role_users, own_status=Workplan.Status.CONSULTATION)
    for n in range(size):
        priority = WorkplanPriorityFactory(workplan=world.workplan, position=n + 5)
        ActionFactory(workplan=world.workplan, priority=priority)
        add(world, world.users["partner"], f"Comment {n}", world.org)
    client = client_as(world.users[role])
    with django_assert_max_num_queries(12) as queries:
        response = client.get(url(world))
    assert response.content.decode().count('id="comment-') == size
    print(f"workplan-comments as {role} with {size}: {len(queries)} queries")
