"""Migrations indicators 0009-0011 and workstreams 0007-0008 move the place and
the Marmot principles from workstreams to indicators, and the indicator <->
workstream link to the workstream (ADR 30), on a database that already holds
them: rows, ids and every link survive, under the new tables."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("indicators", "0008_indicator_definition_parts"),
    ("workstreams", "0006_action_archived_at"),
]
AFTER = [
    ("indicators", "0011_workstream_links_move_to_workstreams"),
    ("workstreams", "0008_workstream_indicators"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_moves_keep_rows_ids_and_links():
    old = migrate(BEFORE)
    try:
        area = old.get_model("indicators", "Area")
        town = area.objects.create(code="E1", name="Town", area_type="ua")
        country = area.objects.create(code="E9", name="England", area_type="country")
        place = old.get_model("workstreams", "Place").objects.create(
            name="Town",
            service_name="Town Marmot",
            area=town,
            country=country,
            region=country,
        )
        principle = old.get_model("workstreams", "MarmotPrinciple").objects.create(
            number=3, title="Fair employment"
        )
        workstream = old.get_model("workstreams", "Workstream").objects.create(
            slug="housing", name="Housing"
        )
        workstream.principles.add(principle)
        indicator = old.get_model("indicators", "Indicator").objects.create(
            code="x1",
            name="X",
            value_type="proportion",
            polarity="high_is_good",
            principle=principle,
        )
        indicator.workstreams.add(workstream)

        new = migrate(AFTER)

        moved = new.get_model("indicators", "Place").objects.get()
        assert (moved.pk, moved.service_name, moved.area_id, moved.country_id) == (
            place.pk,
            "Town Marmot",
            town.pk,
            country.pk,
        )
        principles = new.get_model("indicators", "MarmotPrinciple")
        assert list(principles.objects.values_list("pk", "number")) == [
            (principle.pk, 3)
        ]
        linked = new.get_model("workstreams", "Workstream").objects.get(
            pk=workstream.pk
        )
        assert list(linked.principles.values_list("pk", flat=True)) == [principle.pk]
        assert list(linked.indicators.values_list("pk", flat=True)) == [indicator.pk]
        assert (
            new.get_model("indicators", "Indicator").objects.get(pk=indicator.pk)
        ).principle_id == principle.pk
        tables = connection.introspection.table_names()
        assert "indicators_place" in tables and "workstreams_place" not in tables
        assert "indicators_marmotprinciple" in tables
        assert "workstreams_workstream_indicators" in tables
        assert "indicators_indicator_workstreams" not in tables
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
