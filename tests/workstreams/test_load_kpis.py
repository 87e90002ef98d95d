"""Local KPIs from the logic models (issue 16): the Business, Skills and
Employment model's six outputs load as output KPIs, its outcomes with no
measure yet as measures awaiting data; a wrong ``kpis`` or ``awaiting_measure``
entry stops the load, naming the file and JSON path, and nothing is written."""

import json

import pytest
from django.core.management.base import CommandError

from indicators.models import Indicator, IndicatorValue, Target
from tests.shared_data import rolled_back_after
from tests.workstreams.fixtures import all_counts, copy_place, load
from workstreams.models import Kpi, KpiEntry, LogicModelItem, Organisation, Workstream
from workstreams.services.kpis import kpi_update

BSE = "business-skills-employment"
#: Output -> (unit, the activities it counts), as programme.json decides them.
EXPECTED = {
    "Number of organisations that take up MHFA/total wellbeing training": (
        "organisations",
        [
            "ELFT/Total wellbeing Luton - workplace wellbeing offer",
            "Mental health First Aid training",
        ],
    ),
    "Number of people accessing employment skills training": (
        "people",
        ["Passport to employment", "'Destination digital'", "SEMLEP employment skills"],
    ),
    "Number of people registering with/seeking employment via Connect 2 Luton": (
        "people",
        ["Connect 2 Luton"],
    ),
    "Number of people enrolling on Passport to Entrepreneurship programme": (
        "people",
        ["UoB's 'Passport to Entrepreneurship' programme under Pathways to Recovery"],
    ),
    "Number of apprenticeships arranged via brokerage scheme": (
        "apprenticeships",
        ["Apprenticeship brokerage scheme"],
    ),
    "Number of businesses accessing SEMLEP business support": (
        "businesses",
        ["SEMLEP business support"],
    ),
}


@pytest.fixture(scope="class")
def luton_once(django_db_setup, django_db_blocker):
    """Luton loaded once for a class, rolled back after it; each test runs in
    a savepoint inside that transaction."""
    with rolled_back_after(django_db_blocker):
        yield load("load_luton")


@pytest.fixture
def luton(luton_once, db):
    return luton_once


def spoil(tmp_path, change) -> tuple:
    """A copy of Luton's directory with ``change(programme)`` applied."""
    place = copy_place(tmp_path)
    path = place / "programme.json"
    programme = json.loads(path.read_text(encoding="utf-8"))
    change(programme)
    path.write_text(json.dumps(programme), encoding="utf-8")
    return place, path


def bse_model(programme: dict) -> dict:
    [model] = [m for m in programme["logic_models"] if m["workstream"] == BSE]
    return model


class TestLutonKpis:
    def test_six_output_kpis_linked_to_their_output_and_activities(self, luton):
        kpis = list(
            Kpi.objects.select_related("indicator", "output", "workstream")
            .prefetch_related("activities")
            .order_by("display_order")
        )

        assert [kpi.indicator.name for kpi in kpis] == list(EXPECTED)
        assert [kpi.display_order for kpi in kpis] == [1, 2, 3, 4, 5, 6]
        for kpi in kpis:
            indicator = kpi.indicator
            unit, activities = EXPECTED[indicator.name]
            assert kpi.workstream.slug == BSE
            assert kpi.output.text == indicator.name
            assert kpi.output.kind == LogicModelItem.Kind.OUTPUT
            assert kpi.output.logic_model.status == "current"
            assert sorted(a.text for a in kpi.activities.all()) == sorted(activities)
            assert (
                indicator.kind,
                indicator.unit,
                indicator.value_type,
                indicator.polarity,
                indicator.update_frequency,
                indicator.year_to_date,
            ) == ("local_output", unit, "count", "high_is_good", "quarterly", "sum")
            # The documents name no reporter, source or start: left empty.
            assert kpi.reporting_organisation is None
            assert indicator.source == ""
            assert indicator.values_expected_from is None
            assert indicator.is_published
            # The links indicators' own pages read.
            assert indicator in kpi.output.indicators.all()
            assert indicator in kpi.workstream.indicators.all()
        # No values or targets are invented.
        assert not IndicatorValue.objects.filter(indicator__kind="local_output")
        assert not Target.objects.exists()
        assert not KpiEntry.objects.exists()
        assert "  output KPIs: 6 (6 new)" in luton

    def test_outcomes_with_no_measure_await_data(self, luton):
        workstream = Workstream.objects.get(slug=BSE)
        outcomes = {
            item.text: item
            for item in LogicModelItem.objects.filter(
                kind="outcome", logic_model__workstream=workstream
            )
        }
        for code, outcome, principle in (
            ("employment-rate", "Luton employment rate", 3),
            (
                "highly-skilled-workforce",
                "Proportion of highly skilled workforce (% with NVQ level 4,3,2,1 "
                "and no formal qualifications)",
                2,
            ),
        ):
            indicator = Indicator.objects.get(code=code)
            assert indicator.kind == Indicator.Kind.OUTCOME
            assert indicator.is_published
            assert indicator.principle.number == principle
            assert (indicator.value_type, indicator.unit) == ("proportion", "%")
            assert not indicator.values.exists()
            assert list(outcomes[outcome].indicators.all()) == [indicator]
            assert list(indicator.workstreams.all()) == [workstream]
        # The outcomes measured by the table keep their measure only.
        living_wage = outcomes["% of Luton based jobs paying the Real Living Wage"]
        assert [i.code for i in living_wage.indicators.all()] == [
            "employees-below-living-wage"
        ]
        assert "  outcomes awaiting a measure: 2" in luton

    def test_pages_say_the_awaiting_measure_has_no_data_yet(self, luton, client):
        page = client.get("/indicators/employment-rate/")
        dashboard = client.get("/dashboard/")

        assert page.status_code == dashboard.status_code == 200
        assert "There is no value for Luton yet." in page.content.decode()
        assert "Employment rate" in dashboard.content.decode()
        assert "Awaiting data" in dashboard.content.decode()
        measures = client.get("/measures/").content.decode()
        assert "Employment rate" not in measures  # not in the published table

    def test_loading_again_changes_nothing(self, luton):
        before = all_counts()
        versions = dict(Kpi.objects.values_list("pk", "row_version"))

        output = load("load_luton")

        assert all_counts() == before
        assert dict(Kpi.objects.values_list("pk", "row_version")) == versions
        assert "  output KPIs: 6 (0 new)" in output

    def test_a_reload_applies_the_file_and_keeps_what_it_leaves_out(
        self, luton, tmp_path
    ):
        """The keys an entry gives are the file's; the others (here the
        reporting organisation) stay as the chair set them on the site."""
        semlep = Organisation.objects.get(short_name="SEMLEP")
        apprenticeships = Kpi.objects.get(
            indicator__name="Number of apprenticeships arranged via brokerage scheme"
        )
        kpi_update(kpi=apprenticeships, user=None, reporting_organisation=semlep)

        def change(programme):
            entry = programme["kpis"][4]
            entry["name"] = "Apprenticeships arranged by brokerage"
            entry["activities"].append("Careers hub.")
            entry["source"] = "Brokerage scheme's records"

        place, _ = spoil(tmp_path, change)
        output = load("load_programme", str(place))

        apprenticeships.refresh_from_db()
        assert Kpi.objects.count() == 6
        assert apprenticeships.indicator.name == "Apprenticeships arranged by brokerage"
        assert apprenticeships.indicator.source == "Brokerage scheme's records"
        assert sorted(a.text for a in apprenticeships.activities.all()) == [
            "Apprenticeship brokerage scheme",
            "Careers hub.",
        ]
        assert apprenticeships.reporting_organisation == semlep
        assert "  output KPIs: 6 (0 new)" in output


def test_wrong_kpis_entries_are_named_by_path_and_nothing_is_written(db, tmp_path):
    def change(programme):
        kpis = programme["kpis"]
        originals = json.loads(json.dumps(kpis))
        kpis[0]["output"] = "Number of hats"
        kpis[1]["activities"] = ["SEMLEP employment skills", "Knitting"]
        del kpis[2]["unit"]
        kpis[3]["polarity"] = "up"
        kpis[4]["reporting_organisation"] = "Nobody Ltd"
        kpis[5]["frequency"] = "irregular"
        kpis.append({**originals[5], "colour": "red"})
        kpis.append(originals[5])
        kpis.append({**originals[3], "workstream": "nope"})

    place, path = spoil(tmp_path, change)

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    assert message.startswith("9 problems in the programme:"), message
    for problem in (
        "$.kpis[0].output: no output 'Number of hats' in the current logic model "
        f"of '{BSE}'",
        "$.kpis[1].activities: no activity of the current logic model of "
        f"'{BSE}' 'Knitting' in this programme",
        "$.kpis[2]: unit is missing",
        "$.kpis[3].polarity: 'up' is not one of: high_is_good, low_is_good, "
        "no_judgement",
        "$.kpis[4].reporting_organisation: no organisation 'Nobody Ltd' in this "
        "programme",
        "$.kpis[5].frequency: 'irregular' is not one of: annual, quarterly, monthly",
        "$.kpis[6]: unknown key colour",
        "$.kpis[7]: the same output as $.kpis[6]",
        "$.kpis[8].workstream: no workstream 'nope' in this programme",
    ):
        assert f"{path}: {problem}" in message
    assert "Nothing was loaded." in message
    assert set(all_counts().values()) == {0}


def test_wrong_awaiting_measures_are_named_by_path_and_nothing_is_written(db, tmp_path):
    def change(programme):
        model = bse_model(programme)
        model["outputs"][0] = {
            "text": model["outputs"][0],
            "awaiting_measure": {
                "code": "hats",
                "name": "Hats",
                "value_type": "count",
                "polarity": "high_is_good",
            },
        }
        outcomes = model["outcomes"]
        outcomes[0]["awaiting_measure"]["value_type"] = "lots"
        outcomes[3]["awaiting_measure"]["code"] = "claimant-count"
        del outcomes[4]["indicators"]
        outcomes[4]["awaiting_measure"] = {"code": "Not a slug!", "name": "X"}

    place, path = spoil(tmp_path, change)

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    where = "$.logic_models[1]"
    for problem in (
        f"{where}.outputs[0].awaiting_measure: only an outcome can await a measure",
        f"{where}.outcomes[0].awaiting_measure.value_type: 'lots' is not one of: "
        "proportion, crude_rate, dsr, life_expectancy, mean, count, ratio, index",
        f"{where}.outcomes[3].awaiting_measure.code: 'claimant-count' is a measure "
        "of the outcome-measure table: list it in the outcome's indicators instead",
        f"{where}.outcomes[4].awaiting_measure: polarity is missing",
        f"{where}.outcomes[4].awaiting_measure: value_type is missing",
    ):
        assert f"{path}: {problem}" in message
    assert set(all_counts().values()) == {0}


def test_a_bad_awaiting_code_is_named(db, tmp_path):
    def change(programme):
        bse_model(programme)["outcomes"][0]["awaiting_measure"]["code"] = "No slug!"

    place, path = spoil(tmp_path, change)

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    assert (
        f"{path}: $.logic_models[1].outcomes[0].awaiting_measure.code: "
        "'No slug!' is not a code (a slug)"
    ) in str(raised.value)
    assert set(all_counts().values()) == {0}


def test_kpis_fields_of_the_wrong_type_are_named(db, tmp_path):
    def change(programme):
        kpis = programme["kpis"]
        kpis[0]["activities"] = "Connect 2 Luton"
        kpis[1]["unit"] = 5
        kpis[2]["values_expected_from"] = "April 2024"
        kpis[3]["code"] = "Bad code!"
        kpis[4]["name"] = "x" * 301
        bse_model(programme)["outcomes"][0]["awaiting_measure"]["principle"] = "3"

    place, path = spoil(tmp_path, change)

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    assert message.startswith("6 problems in the programme:"), message
    for problem in (
        "$.kpis[0].activities: expected a list of activity texts",
        "$.kpis[1].unit: expected a string",
        "$.kpis[2].values_expected_from: 'April 2024' is not a date (YYYY-MM-DD)",
        "$.kpis[3].code: 'Bad code!' is not a code (a slug)",
        "$.kpis[4].name: is 301 characters; at most 300",
        "$.logic_models[1].outcomes[0].awaiting_measure.principle: expected a "
        "principle's number",
    ):
        assert f"{path}: {problem}" in message
    assert set(all_counts().values()) == {0}


def test_a_kpis_key_that_is_not_a_list_is_named(db, tmp_path):
    place, path = spoil(tmp_path, lambda programme: programme.update(kpis="six"))

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    assert f"{path}: $.kpis: expected a list" in str(raised.value)
    assert set(all_counts().values()) == {0}
