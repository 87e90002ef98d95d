"""Every URL of the site × every role × GET and POST, from one table.

Roles: anonymous, a partner, a partner of another organisation, the chair of
the workstream the objects belong to, another workstream's chair, an oversight
member and an officer. Each cell expects: OK (200, or a redirect that is not to
sign in), LOGIN (redirect to sign in), 403, 404 or 405. A refused request
changes nothing. A URL added to the site without a row here fails
`test_every_site_url_is_in_the_matrix`.

The world (`build_world` in tests/workstreams/fixtures.py, plus a submission,
a workplan in consultation and an invitation): the chair's workstream has a
draft workplan whose action is led by the partner's organisation.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import Indicator, Target
from marmot import roles
from tests.conftest import make_role_users, rolled_back_after, user_with_role
from tests.indicators.factories import IndicatorFactory
from tests.site.people_world import PUBLIC_PAGES
from tests.workstreams.evidence_fixtures import evidence_on
from tests.workstreams.factories import (
    InvitationFactory,
    MilestoneFactory,
    OrganisationMembershipFactory,
    SubmissionFactory,
    WorkplanFactory,
)
from tests.workstreams.fixtures import build_world
from workstreams.models import (
    Action,
    Invitation,
    Kpi,
    KpiEntry,
    Milestone,
    ProgressUpdate,
    Submission,
    Workplan,
    WorkplanComment,
    WorkplanPriority,
    Workstream,
)
from workstreams.services.kpis import kpi_create, kpi_entry_record

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, GONE, NOT_ALLOWED = "ok", "login", 403, 404, 405
ROLES = (
    "anonymous",
    "partner",
    "other_partner",
    "chair",
    "other_chair",
    "oversight",
    "officer",
)


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def only(*allowed, refused=FORBIDDEN):
    """``allowed`` roles OK; anonymous to sign in; everyone else ``refused``."""
    cells = dict.fromkeys(ROLES, refused)
    cells["anonymous"] = LOGIN
    cells.update(dict.fromkeys(allowed, OK))
    return cells


PUBLIC_READ = {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)}
EDITORS = ("chair", "officer")
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")

# name → (arguments from the world, {method: {role: expected}})
MATRIX = {
    "home": (None, PUBLIC_READ),
    "dashboard": (None, PUBLIC_READ),
    "dashboard-csv": (None, PUBLIC_READ),
    "measures-table": (None, PUBLIC_READ),
    "measures-table-download": ("measures_csv", PUBLIC_READ),
    "measures-spine": (None, PUBLIC_READ),
    "recommendations": (None, PUBLIC_READ),
    "programme": (None, PUBLIC_READ),
    "changes": (None, PUBLIC_READ),
    "accessibility": (None, PUBLIC_READ),
    "healthz": (None, {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)}),
    "login": (None, {"GET": everyone(OK), "POST": everyone(OK)}),
    "logout": (None, {"GET": everyone(NOT_ALLOWED), "POST": everyone(OK)}),
    # Every signed-in user changes their own password (an empty POST is the
    # form again, with its errors).
    "password-change": (
        None,
        {"GET": only(*SIGNED_IN), "POST": only(*SIGNED_IN)},
    ),
    "workstream-detail": ("own_slug", PUBLIC_READ),
    "workstream-logic-model": ("own_slug", PUBLIC_READ),
    "indicator-detail": ("indicator_code", PUBLIC_READ),
    "indicator-download": ("indicator_csv", PUBLIC_READ),
    "action-detail": (  # the partner's organisation leads it
        "action_pk",
        {
            "GET": only("partner", "chair", "officer", "oversight"),
            "POST": everyone(NOT_ALLOWED),
        },
    ),
    "action-create": ("own_slug", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "action-edit": ("action_pk", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "action-archive": (
        "action_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "workplan-manage": ("own_slug", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "workplan-priorities": (
        "own_slug",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "workplan-priority-create": (
        "own_slug",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "workplan-priority-edit": (
        "priority_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    # The priority has an action: the POST is refused, back to the page.
    "workplan-priority-remove": (
        "priority_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "workplan-assign": ("own_slug", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "workplan-next-year": (
        "workplan_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "workstream-on-track": (
        "own_slug",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    # Milestones and % complete: those who may edit the action.
    "milestone-create": ("action_pk", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "action-percent-complete": (
        "action_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "milestone-edit": (
        "milestone_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    "milestone-done": (
        "milestone_pk",
        {"GET": everyone(NOT_ALLOWED), "POST": only(*EDITORS)},
    ),
    "milestone-delete": (
        "milestone_pk",
        {"GET": only(*EDITORS), "POST": only(*EDITORS)},
    ),
    # An evidence file: whoever may read its action (a draft workplan's here).
    "evidence-download": (
        "evidence_pk",
        {
            "GET": only("partner", "chair", "officer", "oversight"),
            "POST": everyone(NOT_ALLOWED),
        },
    ),
    "progress-update-create": (
        "action_pk",
        {"GET": only("partner", *EDITORS), "POST": only("partner", *EDITORS)},
    ),
    "submission-create": (
        None,
        {
            "GET": only("partner", "other_partner", "officer"),
            "POST": only("partner", "other_partner", "officer"),
        },
    ),
    "submission-check": (  # without a draft: back to the form
        None,
        {
            "GET": only("partner", "other_partner", "officer"),
            "POST": only("partner", "other_partner", "officer"),
        },
    ),
    "submission-message-create": (
        "submission_pk",
        {"GET": everyone(NOT_ALLOWED), "POST": only("partner", *EDITORS)},
    ),
    "submission-list": (
        None,
        {
            "GET": only(
                "partner", "other_partner", *EDITORS, "other_chair", "oversight"
            ),
            "POST": everyone(NOT_ALLOWED),
        },
    ),
    "submission-detail": (
        "submission_pk",
        {
            "GET": only("partner", *EDITORS, "oversight"),
            "POST": only(*EDITORS),  # the decision forms
        },
    ),
    "submission-sent": (
        "submission_pk",
        {"GET": only("partner", *EDITORS, "oversight"), "POST": everyone(NOT_ALLOWED)},
    ),
    "submission-edit": (
        "submission_pk",
        {"GET": only("partner", "officer"), "POST": only("partner", "officer")},
    ),
    # The chair's landing page: their own workstreams (officers: all).
    "chair-home": (
        None,
        {"GET": only("chair", "other_chair", "officer"), "POST": everyone(NOT_ALLOWED)},
    ),
    "submission-queue": (
        "own_slug",
        {"GET": only(*EDITORS, "oversight"), "POST": everyone(NOT_ALLOWED)},
    ),
    "invitation-list": (
        None,
        {"GET": only(*EDITORS, "other_chair"), "POST": everyone(NOT_ALLOWED)},
    ),
    "invitation-create": (
        None,
        {"GET": only(*EDITORS, "other_chair"), "POST": only(*EDITORS, "other_chair")},
    ),
    # The invitation was sent by the officer: other chairs may not touch it.
    "invitation-withdraw": (
        "invitation_pk",
        {"GET": everyone(NOT_ALLOWED), "POST": only("officer")},
    ),
    "invitation-resend": (
        "invitation_pk",
        {"GET": everyone(NOT_ALLOWED), "POST": only("officer")},
    ),
    # A link with a token nobody was sent: "not found" for everyone.
    "invitation-accept": ("bad_token", {"GET": everyone(GONE), "POST": everyone(GONE)}),
    "workplan-comments": (
        "consultation_pk",
        {
            "GET": only("partner", "other_partner", *EDITORS, "oversight"),
            "POST": only("partner", "other_partner", *EDITORS),
        },
    ),
    # Output KPIs (ADR 32): the partner's organisation reports one of them.
    "kpi-list": ("own_slug", PUBLIC_READ),
    "kpi-detail": ("kpi_pk", PUBLIC_READ),
    "kpi-add": ("own_slug", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "kpi-edit": ("kpi_pk", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "kpi-retire": ("kpi_pk", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "kpi-targets": ("own_slug", {"GET": only(*EDITORS), "POST": only(*EDITORS)}),
    "kpi-grid": (
        "own_slug",
        {"GET": only("partner", *EDITORS), "POST": only("partner", *EDITORS)},
    ),
    "kpi-approvals": (
        "own_slug",
        {"GET": only(*EDITORS, "oversight"), "POST": only(*EDITORS)},
    ),
    "kpi-entry-reopen": (
        "kpi_entry_pk",
        {"GET": only("officer"), "POST": only("officer")},
    ),
    # An empty POST (no file) is the upload form again, with its error.
    "kpi-spreadsheet": (
        "own_slug",
        {"GET": only("partner", *EDITORS), "POST": only("partner", *EDITORS)},
    ),
}


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, built once for the module's hundreds of cells and rolled back
    after them; what a cell writes is rolled back after that cell."""
    with rolled_back_after(django_db_blocker):
        yield build_matrix_world()


@pytest.fixture
def world(world_once, db):
    return world_once


def build_matrix_world():
    world = build_world(make_role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    world.submission = SubmissionFactory(
        organisation=world.org,
        submitted_by=world.users["partner"],
        workstream=world.own,
        title="Warm homes grants",
    )
    world.consultation = WorkplanFactory(
        workstream=world.own,
        status=Workplan.Status.CONSULTATION,
        year_label="2099/00",
        starts_on=dt.date(2099, 4, 1),
        ends_on=dt.date(2100, 3, 31),
    )
    world.invitation = InvitationFactory(
        organisation=world.org, invited_by=world.users["officer"]
    )
    world.indicator = IndicatorFactory(code="life-expectancy", is_published=True)
    world.kpi = kpi_create(
        workstream=world.own,
        user=world.users["officer"],
        name="Homes retrofitted",
        reporting_organisation=world.org,
    )
    world.kpi_entry = kpi_entry_record(
        kpi=world.kpi, user=world.users["chair"], period="2025/26 Q1", value=3
    )
    world.milestone = MilestoneFactory(action=world.action, title="Survey done")
    world.evidence = evidence_on(world.action, author=world.users["chair"])
    return world


def arguments(world, kind):
    return {
        None: [],
        "own_slug": [world.own.slug],
        "action_pk": [world.action.pk],
        "priority_pk": [world.priorities[0].pk],
        "workplan_pk": [world.workplan.pk],
        "submission_pk": [world.submission.pk],
        "invitation_pk": [world.invitation.pk],
        "consultation_pk": [world.consultation.pk],
        "indicator_code": [world.indicator.code],
        "indicator_csv": [world.indicator.code, "csv"],
        "measures_csv": ["csv"],
        "bad_token": ["not-a-token-anyone-was-sent"],
        "kpi_pk": [world.kpi.pk],
        "kpi_entry_pk": [world.kpi_entry.pk],
        "milestone_pk": [world.milestone.pk],
        "evidence_pk": [world.evidence.pk],
    }[kind]


def snapshot():
    return (
        list(Action.objects.order_by("pk").values_list("title", "status", "rag")),
        ProgressUpdate.objects.count(),
        list(Workplan.objects.order_by("pk").values_list("status", "row_version")),
        list(Submission.objects.order_by("pk").values_list("status", "row_version")),
        list(
            Invitation.objects.order_by("pk").values_list("token_hash", "withdrawn_at")
        ),
        WorkplanComment.objects.count(),
        list(WorkplanPriority.objects.order_by("pk").values_list("title", "position")),
        Indicator.objects.count(),
        list(
            Workstream.objects.order_by("pk").values_list(
                "on_track_override", "on_track_reason"
            )
        ),
        list(Kpi.objects.order_by("pk").values_list("row_version", "retired_reason")),
        list(KpiEntry.objects.order_by("pk").values_list("status", "row_version")),
        Target.objects.count(),
        list(Milestone.objects.order_by("pk").values_list("title", "done_on")),
        list(Action.objects.order_by("pk").values_list("percent_complete", flat=True)),
    )


def outcome(response):
    if response.status_code in (301, 302, 303):
        login = reverse("login")
        return LOGIN if response["Location"].startswith(login + "?") else OK
    if response.status_code == 200:
        return OK
    return response.status_code


CELLS = [
    (name, method, role, expected)
    for name, (_, by_method) in MATRIX.items()
    for method, by_role in by_method.items()
    for role, expected in by_role.items()
]


@pytest.mark.parametrize("name, method, role, expected", CELLS)
def test_cell(world, client_as, name, method, role, expected):
    kind, _ = MATRIX[name]
    url = reverse(name, args=arguments(world, kind))
    client = client_as(world.users[role])
    before = snapshot()
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert outcome(response) == expected, f"{method} {url} as {role}"
    if expected != OK or method == "GET":
        assert snapshot() == before, f"{method} {url} as {role} changed data"


def site_url_names(patterns=None, inside_api=False):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api") or str(entry.pattern) == "api/":
                continue
            yield from site_url_names(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name


def test_every_site_url_is_in_the_matrix():
    assert sorted(set(site_url_names()) - set(MATRIX)) == []
    assert sorted(set(MATRIX) - set(site_url_names())) == []


def test_every_public_page_is_walked_for_peoples_names():
    """The pages anyone may read are the ones tests/site/test_public_people.py
    searches for users' names (ADR 26)."""
    public = {
        name
        for name, (_, by_method) in MATRIX.items()
        if by_method["GET"]["anonymous"] == OK
    }
    assert public == set(PUBLIC_PAGES)


def test_the_matrix_covers_every_role_and_both_methods():
    for name, (_, by_method) in MATRIX.items():
        assert set(by_method) == {"GET", "POST"}, name
        for by_role in by_method.values():
            assert set(by_role) == set(ROLES), name
