"""python -m bench.generate_scale_data: counts, determinism and a second run."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate_scale_data import main
from bench.synthetic_parameters import scale_data_counts
from indicators.models import Assessment, Indicator, IndicatorValue
from tests.workstreams.factories import WorkstreamFactory
from workstreams.models import Action, ProgressUpdate, Workplan, Workstream

pytestmark = pytest.mark.django_db

FACTOR = "0.02"


def generate(*extra):
    assert main(["--factor", FACTOR, "--quiet", *extra]) == 0


def counts():
    return {
        "workstreams": Workstream.objects.count(),
        "workplans": Workplan.objects.count(),
        "actions": Action.objects.count(),
        "progress_updates": ProgressUpdate.objects.count(),
        "indicators": Indicator.objects.count(),
        "values": IndicatorValue.objects.count(),
        "assessments": Assessment.objects.count(),
    }


def snapshot():
    """The generated content, without database ids or timestamps."""
    return (
        list(Action.objects.values_list("title", "status", "rag", "due_date")),
        list(ProgressUpdate.objects.values_list("text", "rag", "reported_on")),
        list(
            IndicatorValue.objects.order_by(
                "indicator__code", "area__code", "period"
            ).values_list("indicator__code", "area__code", "period__label", "value")
        ),
    )


def test_counts_scale_with_the_factor():
    small = scale_data_counts(factor=1)
    big = scale_data_counts(factor=10)
    assert small["actions"] == 1000 and small["progress_updates"] == 10000
    assert big["workstreams"] == 40 and big["actions"] == 10000
    assert big["indicators"] == 500 and big["areas"] == 300
    assert big["values"] > 10 * small["values"]  # wards and deciles from factor 3


def test_writes_the_expected_rows():
    generate()
    expected = scale_data_counts(factor=float(FACTOR))
    assert counts() == {name: expected[name] for name in counts()}
    assert expected["actions"] == 20 and expected["progress_updates"] == 200
    assert all(a.rag and a.lead_organisation_id for a in Action.objects.all())


def test_the_same_seed_gives_the_same_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "7", "--replace")
    assert snapshot() == first
    generate("--seed", "8", "--replace")
    assert snapshot() != first


def test_a_second_run_refuses_and_replace_keeps_other_data(capsys):
    real = WorkstreamFactory(slug="housing")
    generate()
    before = counts()
    assert main(["--factor", FACTOR, "--quiet"]) == 1
    assert "Use --replace" in capsys.readouterr().err
    assert counts() == before
    generate("--replace")
    assert counts() == before
    assert Workstream.objects.filter(pk=real.pk).exists()


def test_refuses_a_factor_that_is_not_positive(capsys):
    assert main(["--factor", "0"]) == 1
    assert "greater than 0" in capsys.readouterr().err
    assert not Workstream.objects.exists()


def test_reports_what_it_wrote(capsys):
    assert main(["--factor", FACTOR]) == 0
    out = capsys.readouterr()
    assert "Generated 1 workstreams, 2 workplans, 20 actions" in out.out
    assert "rows" in out.err  # the tqdm progress bar


def test_runs_as_a_module_from_the_project_root():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-m", "bench.generate_scale_data", "--help"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--factor FACTOR" in done.stdout and "--replace" in done.stdout
