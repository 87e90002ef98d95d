"""factory-boy factories for the workstreams app."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from indicators import models as indicator_models
from workstreams import models


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery-staple")


class MarmotPrincipleFactory(DjangoModelFactory):
    class Meta:
        model = indicator_models.MarmotPrinciple
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 8 + 1)
    title = factory.LazyAttribute(lambda o: f"Principle {o.number}")


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = indicator_models.Place
        django_get_or_create = ("singleton",)

    singleton = True
    name = "Testshire"
    service_name = "Testshire — Health Equity Place"
    area = factory.SubFactory(
        "tests.indicators.factories.AreaFactory", area_type="local_authority"
    )
    country = factory.SubFactory(
        "tests.indicators.factories.AreaFactory", area_type="country"
    )
    region = factory.SubFactory(
        "tests.indicators.factories.AreaFactory", area_type="region"
    )
    nearest_neighbours = factory.SubFactory(
        "tests.indicators.factories.AreaFactory", area_type="comparator_group"
    )


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = models.Organisation.Kind.VCFSE


class OrganisationMembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class WorkstreamFactory(DjangoModelFactory):
    class Meta:
        model = models.Workstream

    slug = factory.Sequence(lambda n: f"workstream-{n}")
    name = factory.Sequence(lambda n: f"Workstream {n}")
    purpose = "Reduce inequalities in the social determinants of health."
    chair = factory.SubFactory(UserFactory)
    chair_role = "Public Health Consultant"
    display_order = factory.Sequence(int)


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = models.Recommendation

    source = models.Recommendation.Source.MARMOT_REPORT
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Faker("sentence", nb_words=12)
    workstream = factory.SubFactory(WorkstreamFactory)


class LogicModelFactory(DjangoModelFactory):
    class Meta:
        model = models.LogicModel

    workstream = factory.SubFactory(WorkstreamFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = models.LogicModel.Status.DRAFT
    hypothesis = "Better work improves health."


class LogicModelItemFactory(DjangoModelFactory):
    class Meta:
        model = models.LogicModelItem

    logic_model = factory.SubFactory(LogicModelFactory)
    kind = models.LogicModelItem.Kind.ACTIVITY
    text = factory.Faker("sentence", nb_words=6)
    position = factory.Sequence(int)


class WorkplanFactory(DjangoModelFactory):
    class Meta:
        model = models.Workplan

    workstream = factory.SubFactory(WorkstreamFactory)
    year_label = "2024/25"
    starts_on = dt.date(2024, 4, 1)
    ends_on = dt.date(2025, 3, 31)
    status = models.Workplan.Status.DRAFT


class WorkplanPriorityFactory(DjangoModelFactory):
    class Meta:
        model = models.WorkplanPriority

    workplan = factory.SubFactory(WorkplanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    position = factory.Sequence(int)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = models.Action

    workplan = factory.SubFactory(WorkplanFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    description = factory.Faker("paragraph", nb_sentences=2)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    lead_person = factory.Faker("name", locale="en_GB")
    status = models.Action.Status.IN_PROGRESS
    rag = models.Action.Rag.GREEN
    start_date = dt.date(2024, 4, 1)
    due_date = dt.date(2025, 3, 31)


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = models.ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    author = factory.SubFactory(UserFactory)
    reported_on = dt.date(2024, 9, 1)
    text = factory.Faker("paragraph", nb_sentences=2)
    status = models.Action.Status.IN_PROGRESS
    rag = models.Action.Rag.GREEN


class SubmissionFactory(DjangoModelFactory):
    class Meta:
        model = models.Submission

    organisation = factory.SubFactory(OrganisationFactory)
    submitted_by = factory.SubFactory(UserFactory)
    workstream = factory.SubFactory(WorkstreamFactory)
    title = factory.Sequence(lambda n: f"Proposed action {n}")
    description = factory.Faker("paragraph", nb_sentences=2)
    lead_contact = factory.Faker("name", locale="en_GB")


class InvitationFactory(DjangoModelFactory):
    """An open invitation. The token is not kept: tests that need a working
    link use `services.invitation_create`, which emails it."""

    class Meta:
        model = models.Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    invited_by = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class WorkplanCommentFactory(DjangoModelFactory):
    class Meta:
        model = models.WorkplanComment

    workplan = factory.SubFactory(
        WorkplanFactory, status=models.Workplan.Status.CONSULTATION
    )
    author = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    body = factory.Faker("paragraph", nb_sentences=2)


class ReminderSentFactory(DjangoModelFactory):
    class Meta:
        model = models.ReminderSent

    kind = models.ReminderSent.Kind.LEAD_STALE
    recipient = factory.SubFactory(UserFactory)
    period_key = factory.Sequence(lambda n: f"2026-01-{n % 28 + 1:02d}-{n}")


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = models.Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    position = factory.Sequence(lambda n: n)


class EvidenceFileFactory(DjangoModelFactory):
    """A row only: no file is written (tests that download write their own)."""

    class Meta:
        model = models.EvidenceFile

    progress_update = factory.SubFactory(ProgressUpdateFactory)
    file = factory.Sequence(lambda n: f"actions/0/{n:032x}.pdf")
    original_name = factory.Sequence(lambda n: f"Evidence {n}.pdf")
    content_type = "application/pdf"
    size = 1234


def organisation_in_every_workstream(name: str) -> models.Organisation:
    """An organisation leading an action in each workstream's own workplan, so
    every chair may invite for it (`rules.invitable_organisations`)."""
    organisation = OrganisationFactory(name=name)
    for workstream in models.Workstream.objects.all():
        ActionFactory(
            workplan=WorkplanFactory(workstream=workstream),
            lead_organisation=organisation,
        )
    return organisation
