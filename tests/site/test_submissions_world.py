"""Shared data for the submissions tests (no tests here): the chairs' world
(`test_chair_world.build_world`) plus a partner of another organisation, a
deputy chair of the "own" workstream, and two submissions to it: one by the
partner's organisation, one by the other organisation."""

from tests.conftest import user_with_role
from tests.site.test_chair_world import build_world
from tests.workstreams.factories import (
    OrganisationMembershipFactory,
    SubmissionFactory,
    UserFactory,
)
from workstreams import roles

#          the seven roles every page is tried as
ROLES = (
    "anonymous",
    "partner",
    "other_partner",
    "chair",
    "other_chair",
    "oversight",
    "officer",
)


def build_submission_world(role_users):
    world = build_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    world.deputy = UserFactory(username="deputy", email="deputy@example.org")
    world.own.deputies.add(world.deputy)
    world.submission = SubmissionFactory(
        organisation=world.org,
        submitted_by=world.users["partner"],
        workstream=world.own,
        title="Warm spaces in libraries",
        description="Open three libraries on winter evenings.",
        lead_contact="Ali Khan",
    )
    world.other_submission = SubmissionFactory(
        organisation=world.other_org,
        submitted_by=other_partner,
        workstream=world.own,
        title="College damp survey",
    )
    return world


def date(name, day, month, year):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def form_data(world, **overrides):
    """A valid POST of the submission form (None drops a field)."""
    data = {
        "workstream": world.own.pk,
        "principles": [p.pk for p in world.principles],
        "title": "Winter warmth checks",
        "description": "Home visits to check heating for older tenants.",
        **date("start_date", "1", "10", "2024"),
        **date("end_date", "31", "3", "2025"),
        "lead_contact": "Jo Bloggs",
        "evidence_url": "https://example.org/evidence",
        "supports_activity": world.activities[1].pk,
        "supports_recommendation": world.recommendation.pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
