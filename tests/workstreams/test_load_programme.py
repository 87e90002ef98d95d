"""Loading a place's data directory: load_programme DIR and load_luton."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError

from indicators.models import (
    Assessment,
    ImportRun,
    Indicator,
    IndicatorValue,
    MarmotPrinciple,
    Period,
    Place,
    Trend,
)
from tests.shared_data import rolled_back_after
from tests.workstreams.fixtures import all_counts, copy_place, load
from workstreams.management.commands import load_luton, load_programme
from workstreams.models import Action, LogicModel, Recommendation, Workplan, Workstream


@pytest.fixture(scope="class")
def luton_once(django_db_setup, django_db_blocker):
    """Load the project's Luton directory once for a class of read-only tests.

    Like Django's ``setUpTestData``: the load runs in a transaction that is
    rolled back after the class, and each test runs in a savepoint inside it.
    """
    with rolled_back_after(django_db_blocker):
        yield load("load_luton")


@pytest.fixture
def luton(luton_once, db):
    return luton_once


def value_of(code: str, area_code: str, period: str) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator__code=code, area__code=area_code, period__label=period
    )


class TestTheLoadedProgramme:
    """What load_luton writes (loaded once for the class)."""

    def test_load_creates_the_programme(self, luton):
        # The table's 27 measures, the BSE model's 6 output KPIs, its 2
        # outcomes awaiting a measure (test_load_kpis.py) and the council page's
        # context measure (test_load_achievements.py).
        assert Indicator.objects.count() == 27 + 6 + 2 + 1
        assert Workstream.objects.count() == 4
        assert list(MarmotPrinciple.objects.values_list("number", flat=True)) == list(
            range(1, 9)
        )
        assert MarmotPrinciple.objects.get(number=7).title == (
            "Tackle racism, discrimination and their outcomes"
        )
        place = Place.objects.get()
        assert (place.name, place.service_name) == (
            "Luton",
            "Luton 2040 — Health Equity Town",
        )
        assert (place.area.code, place.country.code, place.region.code) == (
            "E06000032",
            "E92000001",
            "E12000006",
        )
        assert place.nearest_neighbours.code == "CIPFA-E06000032"
        assert place.area.parent == place.region
        assert place.region.parent == place.country
        # The table's 15 periods and 141 values, and the ward insight's periods
        # (2019, 2019/20) and six values in words (test_load_achievements.py).
        assert Period.objects.count() == 15 + 2
        assert IndicatorValue.objects.count() == 141 + 6
        assert Assessment.objects.count() == 150
        assert Trend.objects.count() == 50
        assert "Loaded. The database now holds:" in luton
        assert "  indicators: 27 (periods: 15, values: 141" in luton
        assert "  workstreams: 4" in luton
        # The programme as a whole: 3 programmes, their 17 deliverables and the
        # 8 next steps, the 6 rows of the timeline, and the evaluation's 3
        # aims, 5 opportunities and 6 challenges.
        assert "  system programmes: 3" in luton
        assert "  programme deliverables and next steps: 25" in luton
        assert "  timeline milestones: 6" in luton
        assert "  evaluation findings: 14" in luton

    def test_male_life_expectancy(self, luton):
        value = value_of("life-expectancy-male", "E06000032", "2020-22")

        assert value.value == 77.0
        assert value.indicator.unit == "years"
        assert value.indicator.principle is None
        national = value.assessments.get(benchmark="national", method="published")
        assert (national.result, national.published_text) == ("worse", "R")
        assert national.benchmark_area.code == "E92000001"
        neighbours = value.assessments.get(benchmark="nearest_neighbours")
        assert (neighbours.result, neighbours.published_text) == ("better", "G")
        assert neighbours.benchmark_area.code == "CIPFA-E06000032"
        trend = value.trends.get(method="published")
        assert trend.label == "Getting worse"  # the words give no direction
        assert trend.published_text == "Significantly worse"
        assert value_of("life-expectancy-male", "E92000001", "2020-22").value == 78.9
        assert value_of("life-expectancy-male", "E12000006", "2020-22").value == 79.8

    def test_child_poverty(self, luton):
        luton_value = value_of(
            "child-poverty-after-housing-costs", "E06000032", "2022/23"
        )
        england = value_of("child-poverty-after-housing-costs", "E92000001", "2022/23")

        assert (luton_value.value, luton_value.published_text) == (39.4, "39.4%")
        assert luton_value.indicator.unit == "%"
        assert luton_value.indicator.principle.number == 2
        assert england.value == 30.0
        assert england.assessments.count() == 0
        assert luton_value.period.starts_on.isoformat() == "2022-04-01"

    def test_odd_cells_and_missing_values(self, luton):
        mis = value_of("minimum-income-standard-destitution", "E06000032", "Apr-22")

        assert (mis.value, mis.published_text) == (10.5, "10.5% households")
        assert not IndicatorValue.objects.filter(
            indicator__code="minimum-income-standard-destitution",
            area__code="E92000001",
        ).exists()
        assert {a.result for a in mis.assessments.all()} == {"not_compared"}
        assert mis.trends.get().label == "Cannot be calculated"

    def test_trend_words_say_better_or_worse_whatever_the_polarity(self, luton):
        # "Significantly improving" gives no direction: low-is-good claimants
        # and high-is-good occupations are both simply getting better.
        claimants = value_of("claimant-count", "E06000032", "2023").trends.get()
        occupations = value_of(
            "higher-level-occupations", "E06000032", "2023"
        ).trends.get()
        living_wage = value_of(
            "employees-below-living-wage", "E06000032", "2022"
        ).trends.get()

        assert claimants.label == "Getting better"
        assert claimants.published_text == "Significantly improving"
        assert occupations.label == "Getting better"
        # One period: no direction to show, and none is invented.
        assert living_wage.label == "Getting worse"

    def test_repeated_periods_are_loaded_once(self, luton):
        values = IndicatorValue.objects.filter(
            indicator__code="healthy-life-expectancy-male", area__code="E06000032"
        )

        assert [v.period.label for v in values] == ["2018-20"]
        assert values.get().value == 59.2

    def test_indicator_metadata(self, luton):
        temporary = Indicator.objects.get(code="households-in-temporary-accommodation")
        progress = Indicator.objects.get(code="progress-8")

        assert temporary.polarity == "low_is_good"
        assert (temporary.unit, temporary.multiplier) == ("per 1,000 households", 1000)
        assert list(temporary.workstreams.values_list("slug", flat=True)) == ["housing"]
        assert progress.published_name == "Average Progress 8 score**"
        assert progress.polarity == "high_is_good"
        assert progress.display_decimals == 2
        air = Indicator.objects.get(code="air-quality-annual-status-report")
        assert air.polarity == "low_is_good"
        assert air.principle.number == 8

    def test_business_skills_employment_logic_model(self, luton):
        model = LogicModel.objects.get(workstream__slug="business-skills-employment")
        items = model.items.all()

        assert (model.version, model.status) == (1, "current")
        assert model.hypothesis.startswith(
            "Increasing the availability of good quality"
        )
        assert items.filter(kind="activity").count() == 15
        assert items.filter(kind="assumption").count() == 3
        assert items.filter(kind="input").count() == 5
        assert items.filter(kind="output").count() == 6
        assert items.filter(kind="outcome").count() == 5
        first, *_, last = items.filter(kind="activity").order_by("position")
        assert first.text == "ELFT/Total wellbeing Luton - workplace wellbeing offer"
        assert last.text == "Luton 2040 pledges for businesses"
        mis = items.get(text="Minimum Income Standard (Luton adapted model)")
        assert [i.code for i in mis.indicators.all()] == [
            "minimum-income-standard-destitution"
        ]
        assert model.barriers.startswith("No formal governance structure")
        housing = LogicModel.objects.get(workstream__slug="housing")
        assert housing.items.count() == 0
        assert housing.hypothesis == ""

    def test_workplans_actions_and_next_steps(self, luton):
        housing = Workplan.objects.get(workstream__slug="housing", year_label="2024/25")

        assert housing.status == "consultation"
        assert (housing.starts_on.isoformat(), housing.ends_on.isoformat()) == (
            "2024-04-01",
            "2025-03-31",
        )
        assert list(housing.priorities.values_list("title", flat=True)) == [
            "Delivering healthy housing and promotion",
            "Housing conditions (PRS)",
            "Housing security and support",
            "Refresh of the local plan",
        ]
        assert housing.actions.filter(is_next_step=False).count() == 4
        assert list(
            housing.actions.filter(is_next_step=True).values_list("title", "status")
        ) == [
            ("Sign-off workplan in October meeting", "planned"),
            ("Develop KPI dashboard", "planned"),
        ]
        nea = housing.actions.get(title__contains="NEA")
        assert nea.lead_organisation.name == "National Energy Action"
        assert nea.status == "in_progress"
        assert nea.completed_on is None
        assert Workplan.objects.get(
            workstream__slug="children-and-young-people"
        ).status == ("draft")
        passport = Action.objects.get(title__contains="passport to employment")
        assert [a.text for a in passport.activities.all()] == ["Passport to employment"]
        assert Action.objects.count() == 23
        assert Action.objects.filter(is_next_step=True).count() == 10
        assert not Action.objects.filter(status="completed").exists()
        workstream = Workstream.objects.get(slug="net-zero")
        assert workstream.chair_role == (
            "Climate change professional from the wider community"
        )

    def test_recommendations(self, luton):
        marmot = Recommendation.objects.filter(source="marmot_report").order_by(
            "number"
        )
        evaluation = Recommendation.objects.filter(source="evaluation")

        assert [r.number for r in marmot] == [1, 2, 3, 4]
        assert {r.workstream.slug for r in marmot} == {"children-and-young-people"}
        assert marmot[0].text.startswith("increase the provision of Flying Start")
        assert evaluation.count() == 6
        assert evaluation.filter(workstream__isnull=False).count() == 0
        seventh = evaluation.get(principle__number=7)
        assert seventh.number == 4
        assert "seventh Marmot principle" in seventh.text


def test_loading_twice_changes_nothing(luton):
    first = all_counts()
    first_rows = {
        label: sorted(map(str, model.objects.values_list("pk", flat=True)))
        for label in ("workstreams.Action", "indicators.IndicatorValue")
        for model in [apps.get_model(label)]
    }

    output = load("load_luton")

    assert all_counts() == first
    # 23 actions created, and one of them then linked to its activity.
    assert first["workstreams.HistoricalAction"] == 24
    assert first_rows == {
        label: sorted(
            map(str, apps.get_model(label).objects.values_list("pk", flat=True))
        )
        for label in first_rows
    }
    assert "  actions: 23" in output
    # Each load is in the admin's log of data imports, with its counts.
    second, first_run = ImportRun.objects.order_by("-pk")[:2]
    assert first_run.kind == second.kind == ImportRun.Kind.PROGRAMME
    assert first_run.file_name == "data/places/luton"
    assert first_run.status == second.status == ImportRun.Status.SUCCEEDED
    assert first_run.values_created > 0 and first_run.values_unchanged == 0
    assert second.values_created == 0
    assert second.values_unchanged == second.rows_read == first_run.rows_read


def test_a_malformed_row_stops_the_load_and_writes_nothing(db, tmp_path):
    place = copy_place(tmp_path)
    table = place / "outcome-measures.tsv"
    lines = table.read_text(encoding="utf-8").split("\n")
    assert "\t39.4%\t" in lines[9]
    lines[9] = lines[9].replace("\t39.4%\t", "\tabc\t")
    table.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    assert f'{table}: row 10, column 12 "Luton" (snapshot 2): ' in message
    assert '"abc" is not a number' in message
    assert "Nothing was loaded." in message
    assert set(all_counts().values()) == {0}
    run = ImportRun.objects.get()
    assert (run.status, run.values_created) == (ImportRun.Status.FAILED, 0)
    assert '"abc" is not a number' in run.errors[0]["message"]


def test_a_bad_reference_late_in_the_programme_rolls_everything_back(db, tmp_path):
    place = copy_place(tmp_path)
    programme_file = place / "programme.json"
    programme = json.loads(programme_file.read_text(encoding="utf-8"))
    programme["workplans"][3]["actions"][0]["lead_organisation"] = "Nobody Ltd"
    programme["workplans"][0]["starts_on"] = "1 April 2024"
    programme_file.write_text(json.dumps(programme), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    assert message.startswith("2 problems in the programme:"), message
    assert (
        f"{programme_file}: $.workplans[3].actions[0].lead_organisation: "
        "no organisation 'Nobody Ltd' in this programme"
    ) in message
    assert (
        f"{programme_file}: $.workplans[0].starts_on: '1 April 2024' is not a date"
    ) in message
    assert set(all_counts().values()) == {0}


def test_measures_must_match_their_metadata(db, tmp_path):
    place = copy_place(tmp_path)
    measures_file = place / "measures.json"
    measures = json.loads(measures_file.read_text(encoding="utf-8"))
    del measures["measures"]["Air Quality Annual Status Report (ASR)"]
    measures["measures"]["Life expectancy, Male (Years)"]["polarity"] = "no_judgement"
    measures_file.write_text(json.dumps(measures), encoding="utf-8")
    table = place / "outcome-measures.tsv"

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    assert str(raised.value).split("\n")[:3] == [
        "2 problems in the outcome measures:",
        f'  - {table}: row 2, column 18 "Trend" (snapshot 2): "Significantly worse" '
        "makes no sense for a measure with polarity no_judgement",
        f'  - {table}: row 28, column 2 "Measure description": "Air Quality Annual '
        'Status Report (ASR)" has no entry in measures.json',
    ]
    assert set(all_counts().values()) == {0}


# A second place, as its officers would write it: nothing here is in the code.
TESTSHIRE_PROGRAMME = """{
  "format_version": 1,
  "place": {
    "name": "Testshire", "service_name": "Testshire Fair Health",
    "area": {"code": "E06900001", "name": "Testshire", "area_type": "local_authority"},
    "country": {"code": "E92000001", "name": "England", "area_type": "country"},
    "region": {"code": "E12000001", "name": "North East", "area_type": "region"}},
  "organisations": [{"name": "Testshire Council", "kind": "local_authority"}],
  "workstreams": [{"slug": "homes", "name": "Homes", "principles": [5]}],
  "logic_models": [{"workstream": "homes", "version": 1, "status": "current",
    "activities": ["Insulate homes"],
    "outcomes": [{"text": "Fewer cold homes", "indicators": ["cold-homes"]}]}],
  "workplans": [{"workstream": "homes", "year_label": "2025/26",
    "starts_on": "2025-04-01", "ends_on": "2026-03-31",
    "status": "signed_off", "signed_off_on": "2025-05-01",
    "priorities": ["Warm homes"],
    "actions": [{"title": "Insulate 100 homes", "priority": "Warm homes",
      "lead_organisation": "Testshire Council",
      "status": "completed", "completed_on": "2025-09-30",
      "activities": ["Insulate homes"], "recommendations": ["other:1"],
      "principles": [5]}]}],
  "recommendations": [{"source": "other", "number": 1, "text": "Warm every home."}]
}"""
TESTSHIRE_MEASURES = """{
  "format_version": 1,
  "table": {"file": "measures.tsv", "source": "Testshire outcome measures 2025"},
  "measures": {"Cold homes (%)": {"code": "cold-homes", "name": "Cold homes",
    "value_type": "proportion", "unit": "%", "multiplier": 100,
    "polarity": "low_is_good", "principle": 5, "workstreams": ["homes"]}}
}"""
TESTSHIRE_TABLE = (
    "Measure description\t\tDate of measure\tTestshire\tEngland\tRegion\t"
    "Comparison to England\tComparison to Region\tComparison to NN\tTrend\n"
    "5\tCold homes (%)\t2024/25 Q2\t12.5%\t10.0%\t11.0%\tR\tR\tN/a\t"
    "Significantly improving\n"
)


def test_another_place_loads_from_its_own_directory(db, tmp_path):
    place = tmp_path / "testshire"
    place.mkdir()
    (place / "programme.json").write_text(TESTSHIRE_PROGRAMME)
    (place / "measures.json").write_text(TESTSHIRE_MEASURES)
    (place / "measures.tsv").write_text(TESTSHIRE_TABLE)

    output = load("load_programme", str(place))

    assert Place.objects.get().name == "Testshire"
    assert Place.objects.get().nearest_neighbours is None
    assert MarmotPrinciple.objects.count() == 8
    value = value_of("cold-homes", "E06900001", "2024/25 Q2")
    assert value.value == 12.5
    assert value.period.kind == "quarter"
    assert value.source == "Testshire outcome measures 2025"
    assert value.trends.get().label == "Getting better"
    assert value.assessments.get(benchmark="nearest_neighbours").benchmark_area is None
    action = Action.objects.get()
    assert action.completed_on.isoformat() == "2025-09-30"
    assert action.priority.title == "Warm homes"
    assert action.recommendations.get().text == "Warm every home."
    assert [p.number for p in action.principles.all()] == [5]
    assert Workplan.objects.get().status == "signed_off"
    assert "Loaded." in output


def test_the_commands_explain_themselves():
    programme_help = (
        load_programme.Command()
        .create_parser("manage.py", "load_programme")
        .format_help()
    )
    luton_help = (
        load_luton.Command().create_parser("manage.py", "load_luton").format_help()
    )

    assert "Load a Marmot place's data directory" in " ".join(programme_help.split())
    assert "directory" in programme_help
    assert "Load Luton's Marmot programme" in " ".join(luton_help.split())


def test_load_programme_refuses_a_missing_directory(db, tmp_path):
    with pytest.raises(CommandError, match="no such data directory"):
        load("load_programme", str(tmp_path / "nowhere"))


def test_no_code_names_a_place():
    """Places are data: only the load_luton shortcut may name one."""
    allowed = {Path(load_luton.__file__).resolve()}
    roots = [
        Path(settings.BASE_DIR) / name
        for name in ("workstreams", "indicators", "marmot")
    ]
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for root in roots
        for path in root.rglob("*.py")
        if path.resolve() not in allowed
        and "luton" in path.read_text(encoding="utf-8").lower()
    ]

    assert offenders == []
