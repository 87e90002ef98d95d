"""manage.py load_sample_kpi_values: clearly labelled sample values for the
trial site's output KPIs (`make run`), never through load_luton."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import IndicatorValue, Target
from indicators.output_progress import output_progress
from indicators.selectors import place_get
from tests.workstreams.fixtures import all_counts, load
from workstreams.management.commands.load_sample_kpi_values import Command
from workstreams.models import Kpi, KpiEntry, Workstream
from workstreams.sample_kpi_values import SAMPLE_NOTE, SAMPLE_TARGET_NOTE

pytestmark = pytest.mark.usefixtures("luton_shared")

TODAY = "2026-12-03"  # Q1 and Q2 of 2026/27 have ended; Q3 has not


def demo_accounts() -> None:
    call_command("create_demo_accounts", force=True, stdout=io.StringIO())


def test_it_explains_itself_and_refuses_without_debug():
    help_text = io.StringIO()
    Command().create_parser("manage.py", "load_sample_kpi_values").print_help(help_text)
    shown = " ".join(help_text.getvalue().split())
    assert "Sample value for the trial site, not real data" in shown
    assert "--force Add sample values even though DEBUG is off." in shown
    before = all_counts()

    with pytest.raises(CommandError, match="DEBUG is off"):
        load("load_sample_kpi_values", "--today", TODAY)

    assert all_counts() == before


def test_two_quarters_and_a_target_for_each_of_the_six_kpis():
    demo_accounts()
    chair = Workstream.objects.get(slug="business-skills-employment").chair

    output = load("load_sample_kpi_values", "--force", "--today", TODAY)

    entries = KpiEntry.objects.select_related("period", "kpi__indicator")
    assert entries.count() == 12
    assert {e.period.label for e in entries} == {"2026/27 Q1", "2026/27 Q2"}
    assert {(e.status, e.note, e.entered_by) for e in entries} == {
        ("approved", SAMPLE_NOTE, chair)
    }
    published = IndicatorValue.objects.filter(indicator__kind="local_output")
    assert published.count() == 12
    assert {v.value_note for v in published} == {SAMPLE_NOTE}
    targets = Target.objects.select_related("period")
    assert targets.count() == 6
    assert {(t.period.label, t.note) for t in targets} == {
        ("2026/27", SAMPLE_TARGET_NOTE)
    }
    assert "Added 12 sample values and 6 sample targets to 6 KPIs." in output
    assert (
        "  Business, Skills and Employment — Number of apprenticeships arranged "
        "via brokerage scheme: 2026/27 Q1: 20 apprenticeships; 2026/27 Q2: 27 "
        "apprenticeships; target 2026/27: 150 apprenticeships"
    ) in output

    # The judgements vary, as the sample means them to.
    kpis = Kpi.objects.select_related("indicator")
    progress = output_progress(
        [k.indicator for k in kpis],
        area_id=place_get().area_id,
        today=dt.date.fromisoformat(TODAY),
    )
    words = {p.year_to_date_judgement.words for p in progress.values()}
    assert words == {"On target", "Within tolerance", "Off target"}


def test_running_it_again_changes_nothing_and_keeps_real_values():
    demo_accounts()
    load("load_sample_kpi_values", "--force", "--today", TODAY)
    before = all_counts()

    output = load("load_sample_kpi_values", "--force", "--today", TODAY)

    assert all_counts() == before
    assert "Added 0 sample values and 0 sample targets to 6 KPIs." in output
    assert "already there, left alone: 2026/27 Q1, 2026/27 Q2, target 2026/27" in (
        output
    )


def test_without_anyone_to_record_nothing_is_added():
    before = all_counts()

    with pytest.raises(CommandError) as raised:
        load("load_sample_kpi_values", "--force", "--today", TODAY)

    assert "create the demo accounts first" in str(raised.value)
    assert "Nothing was added." in str(raised.value)
    assert all_counts() == before
