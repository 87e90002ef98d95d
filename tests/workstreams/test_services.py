"""Workstreams services: one set of rules for the admin, the site, API and loaders."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from indicators.models import MarmotPrinciple, Place
from marmot.services import record_upsert
from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    WorkstreamFactory,
)
from workstreams import services
from workstreams.models import LogicModel, Organisation, Workstream

pytestmark = pytest.mark.django_db

Item = services.LogicModelItemData


def test_record_upsert_saves_only_changes():
    organisation, created = record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "business"}
    )
    again, changed_again = record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "business"}
    )
    _, changed = record_upsert(
        model=Organisation, lookup={"name": "Acme"}, values={"kind": "vcfse"}
    )

    assert (created, changed_again, changed) == (True, False, True)
    assert again.pk == organisation.pk
    assert organisation.history.count() == 2
    assert Organisation.objects.get().kind == "vcfse"


def test_record_upsert_validates_before_saving():
    with pytest.raises(ValidationError) as raised:
        services.organisation_upsert(name="Acme", kind="guild")

    assert "kind" in raised.value.message_dict
    assert not Organisation.objects.exists()


def test_principle_upsert_is_keyed_by_number():
    services.principle_upsert(number=3, title="Old")
    principle = services.principle_upsert(number=3, title="Create fair employment")

    assert MarmotPrinciple.objects.get().title == principle.title


def test_place_upsert_keeps_one_place():
    areas = {
        "area": AreaFactory(),
        "country": AreaFactory(area_type="country"),
        "region": AreaFactory(area_type="region"),
    }
    services.place_upsert(name="Testshire", service_name="One", **areas)
    services.place_upsert(name="Testshire", service_name="Two", **areas)

    assert Place.objects.get().service_name == "Two"


def test_workstream_upsert_keeps_the_chair_and_sets_principles():
    workstream = WorkstreamFactory(slug="homes")
    chair = workstream.chair
    principles = [MarmotPrincipleFactory(number=4), MarmotPrincipleFactory(number=5)]

    updated = services.workstream_upsert(
        slug="homes", name="Homes", chair_role="Director", principles=principles
    )

    assert updated.pk == workstream.pk
    assert Workstream.objects.get().chair == chair
    assert sorted(p.number for p in updated.principles.all()) == [4, 5]


def test_logic_model_items_are_replaced_in_order():
    workstream = WorkstreamFactory()
    outcome_measure = IndicatorFactory()
    model = services.logic_model_upsert(
        workstream=workstream,
        version=1,
        items=[
            Item("activity", "Train staff"),
            Item("outcome", "Fewer cold homes", [outcome_measure]),
            Item("activity", "Insulate homes"),
        ],
    )
    train = model.items.get(text="Train staff")

    services.logic_model_upsert(
        workstream=workstream,
        version=1,
        items=[Item("activity", "Train more staff")],
    )

    assert list(model.items.values_list("kind", "position", "text")) == [
        ("activity", 1, "Train more staff")
    ]
    assert model.items.get().pk == train.pk


def test_logic_model_item_positions_count_within_each_kind():
    model = services.logic_model_upsert(
        workstream=WorkstreamFactory(),
        version=1,
        items=[
            Item("assumption", "A"),
            Item("activity", "B"),
            Item("activity", "C"),
            Item("outcome", "D", [IndicatorFactory()]),
        ],
    )

    positions = list(model.items.values_list("kind", "position", "text"))
    assert positions == [
        ("activity", 1, "B"),
        ("activity", 2, "C"),
        ("assumption", 1, "A"),
        ("outcome", 1, "D"),
    ]
    assert model.items.get(text="D").indicators.count() == 1


def test_only_outputs_and_outcomes_link_to_indicators():
    with pytest.raises(ValidationError) as raised:
        services.logic_model_upsert(
            workstream=WorkstreamFactory(),
            version=1,
            items=[Item("activity", "Insulate homes", [IndicatorFactory()])],
        )

    assert raised.value.messages == [
        'Only outputs and outcomes can link to indicators; "Insulate homes" is an '
        "activity."
    ]
    assert not LogicModel.objects.exists()


def test_a_new_current_logic_model_supersedes_the_old():
    workstream = WorkstreamFactory()
    first = services.logic_model_upsert(
        workstream=workstream, version=1, status="current"
    )

    second = services.logic_model_upsert(
        workstream=workstream, version=2, status="current"
    )

    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "current")


def test_logic_model_row_version_moves_when_its_items_change():
    workstream = WorkstreamFactory()
    model = services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Staff")]
    )
    services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Staff")]
    )
    model.refresh_from_db()
    assert model.row_version == 1

    services.logic_model_upsert(
        workstream=workstream, version=1, items=[Item("input", "Time")]
    )

    model.refresh_from_db()
    assert model.row_version == 2


def test_workplan_signed_off_needs_a_date():
    with pytest.raises(ValidationError):
        services.workplan_upsert(
            workstream=WorkstreamFactory(),
            year_label="2024/25",
            starts_on=dt.date(2024, 4, 1),
            ends_on=dt.date(2025, 3, 31),
            status="signed_off",
        )


def test_recommendation_upsert_is_keyed_by_source_and_number():
    services.recommendation_upsert(source="evaluation", number=4, text="Old")
    principle = MarmotPrincipleFactory(number=7)

    recommendation = services.recommendation_upsert(
        source="evaluation", number=4, text="New", principle=principle
    )

    assert recommendation.text == "New"
    assert recommendation.principle.number == 7
    assert recommendation.history.count() == 2
