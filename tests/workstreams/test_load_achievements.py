"""The programme as a whole from Luton's documents (issue 17): every item of
the Health Equity Town update's achievements, next steps, timeline and
evaluation, and the council page's ward insight, loaded with its exact
published wording and figures. The expected strings below are copied from the
two source documents (the update and the council's "Luton inequalities
insight"), not from programme.json. Loading again changes nothing; a wrong
entry stops the load, naming the file and JSON path, and nothing is written.
"""

import datetime as dt
import json

import pytest
from django.core.management.base import CommandError

from indicators.models import IndicatorValue
from tests.shared_data import rolled_back_after
from tests.workstreams.fixtures import all_counts, copy_place, load
from workstreams.models import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    Recommendation,
    SystemProgramme,
)
from workstreams.services.achievements import programme_action_update

# "Health equity system achievements", heading by heading, bullet by bullet.
ACHIEVEMENTS = {
    "Health Equity Town": [
        "Evaluation report -",
        "Health & Built Environment workshop",
        "Collaborative Fund Evaluation",
        "Building blocks of Health training and champions",
        "Development of microsite",
    ],
    "Talk Listen Change – refreshed action plan": [
        "Formation of black and muslim health steering group",
        "TLC Anchor Institutions Project",
        "Health Fair for communities including GRT's",
        "Physical Activity for communities",
        "Town-wide mental health campaign",
        "Culturally Adapted CBT",
        "TLC webpage",
    ],
    "Core20plus5": [
        "Food First Luton - >8000 Food map distribution",
        "7 week Pulmonary rehab transport and course potential savings of up to "
        "£2000 bed days per patient",
        "Employment of a community programme lead & local area coordinators to "
        "support neighbourhood working.",
        "Luton citizens advice outreach workers in PCN's to support income "
        "maximisation in GP surgeries",
        "Housing and health projects improving PRS",
    ],
}

# "Next steps", in order (the conference's title is in italics in the source).
NEXT_STEPS = [
    "Continue to build tangible outputs from the sub-groups using KPI dashboards "
    "to monitor progress",
    "Deliver annual conference in November focused on structural inequalities "
    '"Luton a Marmot Town: The Social Responsibility for health equity. '
    '(Dismantling structural inequalities. How does this affect our lives)".',
    "Launch next round of Luton's Health Equity Town Prize – focusing on business "
    "and areas not well represented",
    "Develop and launch the Health Equity Town 'Ways of Working Toolkit – Common "
    "Language' partners and stakeholders to identify and understand their levers "
    "of influence for improving health equity",
    "Undertake audit of HET partners and stakeholders building on findings from "
    "the HET Evaluation",
    "Full evaluation of core20plus5 work undertaken to date",
    "Review outcome measures analysing by inequalities",
    "Continue to build network of champions through training and network meetings",
]

# "Timeline": when, as published -> (first day, last, precision, the row's text).
TIMELINE = {
    "July 2021": (
        dt.date(2021, 7, 1),
        None,
        "month",
        "Decision to explore IHE engagement",
    ),
    "Oct 2021": (dt.date(2021, 10, 1), None, "month", "Kick off"),
    "Nov 21 – June 22": (
        dt.date(2021, 11, 1),
        dt.date(2022, 6, 1),
        "month",
        "Stakeholder engagement, steering group and workstream meetings, Report "
        "development",
    ),
    "September 2022": (dt.date(2022, 9, 1), None, "month", "Report Published"),
    "throughout 2023": (
        dt.date(2023, 1, 1),
        None,
        "year",
        "Marmot Oversight group working groups for key theme areas mapping "
        "recommendations against workstreams Develop evaluation Health equity town "
        "prize launch one year on celebration event",
    ),
    "Throughout 2024": (
        dt.date(2024, 1, 1),
        None,
        "year",
        "APHR focus Impact measures Workstream activity – gap analysis and logic "
        "models Toolkit launch Newsletter, microsite Frameworks – building blocks "
        "of health one year on event",
    ),
}

AIMS = [
    "To understand the impact of the Luton Marmot report on system-wide efforts "
    "to tackle health inequalities through the wider determinants of health.",
    "To develop a set of measures to illustrate early impacts of the Luton Marmot "
    "report and set out an approach for future outcome measurement structured "
    "around the eight Marmot principles set out within the report.",
    "To activate the health equity system through the process of evaluation, "
    "through stakeholder engagement and re-enforcement of priorities and direction "
    "of travel",
]
OPPORTUNITIES = [
    "Improved evidence base and articulation of issues – have been used to "
    "influence proposals, develop work programmes (core20plus5)",
    "Clear narrative to support priorities",
    "Clear focused recommendations to work on",
    "Increased collaboration and focus on wider determinants of health and "
    "inequalities",
    "Influencing wider decision making to consider health inequalities",
]
OPPORTUNITY_DETAILS = [
    "changing conversations",
    "galvanising actions",
    "influencing strategies underway",
]
CHALLENGES = [
    "Long term-ism",
    "View of leading versus influencing",
    "Competing system priorities",
    "Some areas have limited levers of influence",
    "Getting the governance right – to be seen as part of system not another “project”",
    "Capacity to deliver at desired pace",
]
EVALUATION_RECOMMENDATIONS = [
    "Ensure system-wide clarity and strengthening of governance and accountability.",
    "Ensure all stakeholders understand the role they can and are playing in "
    "tackling health inequalities.",
    "Embed Marmot and health inequalities within workforce development across the "
    "system.",
    "Develop a coherent workplan around the seventh Marmot principle; tackling "
    "discrimination and structural racism and its outcomes.",
    "Use of logic models may be a useful method to build on for future workstreams "
    "associated with Luton's Marmot Town ambitions.",
    "Ensure that we learn from best practice amongst Luton partners and from "
    "national and international evidence base, whilst also sharing our own "
    "knowledge and learning.",
]

# Ward insight: (measure, period, category type, category) -> published words.
INSIGHT = {
    ("children-in-low-income-households", "2019/20", "", ""): "a third",
    (
        "children-in-low-income-households",
        "2019/20",
        "Ward",
        "Northwell",
    ): "nearly one-third",
    ("children-in-low-income-households", "2019/20", "Ward", "Bramingham"): (
        "a fifth of Northwell's"
    ),
    ("child-poverty-after-housing-costs", "2019", "Ward", "Saints"): "over 40%",
    ("child-poverty-after-housing-costs", "2019", "Ward", "Biscot"): "over 40%",
    ("child-poverty-after-housing-costs", "2019", "Ward", "Dallow"): "over 40%",
}


@pytest.fixture(scope="class")
def luton_once(django_db_setup, django_db_blocker):
    """Luton loaded once for the class, rolled back after it."""
    with rolled_back_after(django_db_blocker):
        yield load("load_luton")


@pytest.fixture
def luton(luton_once, db):
    return luton_once


def counts() -> dict[str, int]:
    """Rows of every model, but the record of loads (each load adds one)."""
    return {k: v for k, v in all_counts().items() if "ImportRun" not in k}


def spoil(tmp_path, change) -> tuple:
    """A copy of Luton's directory with ``change(programme)`` applied."""
    place = copy_place(tmp_path)
    path = place / "programme.json"
    programme = json.loads(path.read_text(encoding="utf-8"))
    change(programme)
    path.write_text(json.dumps(programme), encoding="utf-8")
    return place, path


class TestLutonProgramme:
    def test_every_achievement_by_programme_as_published(self, luton):
        found = {
            programme.name: [
                d.title for d in programme.deliverables.order_by("position")
            ]
            for programme in SystemProgramme.objects.all()
        }
        assert found == ACHIEVEMENTS
        deliverables = ProgrammeAction.objects.filter(kind="deliverable")
        assert {d.status for d in deliverables} == {ProgrammeAction.Status.COMPLETED}
        assert {d.completed_on for d in deliverables} == {None}
        led = {
            d.title: d.lead_organisation.name
            for d in deliverables
            if d.lead_organisation
        }
        assert led == {ACHIEVEMENTS["Core20plus5"][3]: "Citizens Advice Luton"}

    def test_every_next_step_with_no_owner_invented(self, luton):
        steps = list(
            ProgrammeAction.objects.filter(kind="next_step").order_by("position")
        )
        assert [s.title for s in steps] == NEXT_STEPS
        assert all(s.programme is None for s in steps)
        assert all(s.status == ProgrammeAction.Status.PLANNED for s in steps)
        assert [(s.lead_organisation, s.lead_person, s.due_date) for s in steps] == [
            (None, "", None)
        ] * 8
        assert [s.due_label for s in steps] == ["", "November"] + [""] * 6

    def test_every_timeline_row_with_its_items(self, luton):
        found = {
            m.label: (m.starts_on, m.ends_on, m.precision, " ".join(m.item_list))
            for m in ProgrammeMilestone.objects.all()
        }
        assert found == TIMELINE
        assert list(ProgrammeMilestone.objects.values_list("label", flat=True)) == list(
            TIMELINE
        )
        highlighted = ProgrammeMilestone.objects.filter(is_highlight=True)
        assert [m.label for m in highlighted] == ["September 2022"]

    def test_the_evaluation_and_its_recommendations_once(self, luton):
        def texts(kind):
            return list(
                EvaluationFinding.objects.filter(kind=kind)
                .order_by("position")
                .values_list("text", flat=True)
            )

        assert texts("aim") == AIMS
        assert texts("opportunity") == OPPORTUNITIES
        assert texts("challenge") == CHALLENGES
        collaboration = EvaluationFinding.objects.get(text=OPPORTUNITIES[3])
        assert collaboration.detail_list == OPPORTUNITY_DETAILS
        evaluation = Recommendation.objects.filter(source="evaluation")
        assert list(evaluation.order_by("number").values_list("text", flat=True)) == (
            EVALUATION_RECOMMENDATIONS
        )

    def test_ward_insight_as_published_with_no_invented_figure(self, luton):
        values = IndicatorValue.objects.filter(
            indicator__code__in={key[0] for key in INSIGHT}, value__isnull=True
        ).select_related("indicator", "period")
        found = {
            (v.indicator.code, v.period.label, v.category_type, v.category): (
                v.published_text
            )
            for v in values
        }
        assert found == INSIGHT
        assert {v.value for v in values} == {None}
        northwell = values.get(category="Northwell")
        assert "five times higher in Northwell than in Bramingham ward" in (
            northwell.value_note
        )
        assert {
            v.source for v in values if v.indicator.code.startswith("children")
        } == {
            "Luton Borough Council, Marmot town page: 'Luton inequalities insight', "
            "from the Marmot report for Luton"
        }

    def test_loading_again_changes_nothing(self, luton):
        before = counts()
        output = load("load_luton")
        assert counts() == before
        assert "  system programmes: 3 (17 deliverables); programme next steps: 8" in (
            output
        )
        assert "  timeline: 6 milestones" in output

    def test_a_reload_keeps_what_an_officer_set_that_the_file_leaves_out(self, luton):
        step = ProgrammeAction.objects.get(title=NEXT_STEPS[5])
        programme_action_update(
            programme_action=step,
            status=ProgrammeAction.Status.IN_PROGRESS,
            rag=ProgrammeAction.Rag.AMBER,
            progress_note="Scoping with the ICB.",
        )
        load("load_luton")
        step.refresh_from_db()
        assert (step.status, step.rag, step.progress_note) == (
            "in_progress",
            "amber",
            "Scoping with the ICB.",
        )


def test_wrong_entries_are_named_by_path_and_nothing_is_written(db, tmp_path):
    def change(programme):
        programme["system_programmes"][0]["deliverables"][0]["status"] = "done"
        programme["system_programmes"][1]["slug"] = "Not a slug!"
        programme["system_programmes"][2]["deliverables"].append(
            {"title": "Housing and health projects improving PRS"}
        )
        programme["programme_next_steps"][0]["lead_organisation"] = "Nobody Ltd"
        programme["programme_next_steps"][1]["due_date"] = "November"
        programme["programme_next_steps"].append({"title": "", "colour": "red"})
        programme["timeline"][0]["starts"] = "July 2021"
        programme["timeline"][2]["ends"] = "2021"
        programme["timeline"][3]["items"] = []
        programme["evaluation"]["aims"] = "not a list"
        programme["context_measures"][0]["code"] = "child-poverty-after-housing-costs"
        programme["insight_values"][0]["indicator"] = "no-such-measure"
        programme["insight_values"][1].pop("published_text")
        programme["insight_values"][2]["category"] = ""

    place, path = spoil(tmp_path, change)
    before = counts()

    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))

    message = str(raised.value)
    for problem in (
        "$.system_programmes[0].deliverables[0].status: 'done' is not one of: "
        "planned, in_progress, completed, on_hold, cancelled",
        "$.system_programmes[1].slug: 'Not a slug!' is not a slug",
        "$.system_programmes[2].deliverables[5].title: the same title as "
        "$.system_programmes[2].deliverables[4]",
        "$.programme_next_steps[0].lead_organisation: no organisation 'Nobody Ltd' "
        "in this programme",
        "$.programme_next_steps[1].due_date: 'November' is not a date (YYYY-MM-DD)",
        "$.programme_next_steps[8]: unknown key colour",
        "$.timeline[0].starts: 'July 2021' is not a month (YYYY-MM) or a year (YYYY)",
        "$.timeline[2].ends: must be given as starts is",
        "$.timeline[3].items: must not be empty",
        "$.evaluation.aims: expected a list",
        "$.context_measures[0].code: 'child-poverty-after-housing-costs' is a "
        "measure of the outcome-measure table",
        "$.insight_values[0].indicator: no measure 'no-such-measure' in "
        "measures.json or context_measures",
        "$.insight_values[1]: give a value, or the published text when there is none",
        "$.insight_values[2]: category_type and category go together",
    ):
        assert f"{path}: {problem}" in message, problem
    assert "Nothing was loaded." in message
    assert counts() == before
