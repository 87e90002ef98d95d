"""Delete services refuse to lose data: what uses a row is named, nothing is
deleted, and a protected foreign key the counts missed is still a
ValidationError, not a ProtectedError."""

import pytest
from django.core.exceptions import ValidationError

from indicators.models import MarmotPrinciple
from marmot.services import row_delete
from tests.indicators.factories import IndicatorFactory
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    RecommendationFactory,
    SubmissionFactory,
    WorkstreamFactory,
)
from workstreams import services
from workstreams.models import LogicModel, Organisation, Recommendation

pytestmark = pytest.mark.django_db


def _message(raised) -> str:
    [message] = raised.value.messages
    return message


def test_row_delete_turns_a_protected_error_into_a_validation_error():
    principle = MarmotPrincipleFactory(number=3)
    IndicatorFactory(principle=principle)
    with pytest.raises(ValidationError) as raised:
        row_delete(instance=principle, name="It", uses={}, advice="Ask.")
    assert _message(raised) == (
        "It is still used by other records, so it cannot be deleted. Ask."
    )
    assert MarmotPrinciple.objects.filter(pk=principle.pk).exists()


def test_row_delete_lists_every_use_with_its_plural():
    principle = MarmotPrincipleFactory(number=3)
    with pytest.raises(ValidationError) as raised:
        row_delete(
            instance=principle,
            name="It",
            uses={("box", "boxes"): 2, ("cat", "cats"): 0, ("dog", "dogs"): 1},
            advice="",
        )
    assert _message(raised).startswith("It is still used by 2 boxes and 1 dog, so")


def test_principle_delete_counts_every_link():
    principle = MarmotPrincipleFactory(number=2)
    WorkstreamFactory().principles.add(principle)
    ActionFactory().principles.add(principle)
    SubmissionFactory().principles.add(principle)
    with pytest.raises(ValidationError) as raised:
        services.principle_delete(principle=principle)
    assert _message(raised).startswith(
        "Principle 2 is still used by 1 workstream, 1 action and 1 partner "
        "submission, so it cannot be deleted."
    )
    services.principle_delete(principle=MarmotPrincipleFactory(number=8))
    assert list(MarmotPrinciple.objects.values_list("number", flat=True)) == [2]


def test_organisation_delete():
    organisation = OrganisationFactory()
    ActionFactory(lead_organisation=organisation)
    with pytest.raises(ValidationError, match="1 action it leads"):
        services.organisation_delete(organisation=organisation)
    spare = OrganisationFactory()
    services.organisation_delete(organisation=spare)
    assert list(Organisation.objects.all()) == [organisation]


def test_recommendation_delete():
    recommendation = RecommendationFactory(number=12)
    ActionFactory().recommendations.add(recommendation)
    with pytest.raises(ValidationError) as raised:
        services.recommendation_delete(recommendation=recommendation)
    assert _message(raised).startswith(
        "Marmot report recommendation 12 is still used by 1 action answering it"
    )
    recommendation.actions.clear()
    services.recommendation_delete(recommendation=recommendation)
    assert not Recommendation.objects.exists()


def test_logic_model_delete_counts_actions_once():
    logic_model = LogicModelFactory(status="current")
    first = LogicModelItemFactory(logic_model=logic_model, kind="activity")
    second = LogicModelItemFactory(logic_model=logic_model, kind="activity")
    action = ActionFactory(workplan__workstream=logic_model.workstream)
    action.activities.add(first, second)
    with pytest.raises(ValidationError) as raised:
        services.logic_model_delete(logic_model=logic_model)
    assert "1 action delivering its activities" in _message(raised)
    action.activities.clear()
    services.logic_model_delete(logic_model=logic_model)
    assert not LogicModel.objects.exists()
