"""manage.py generate_scale_data: counts, determinism and a second run."""

import pytest
from django.core.management import CommandError, call_command

from indicators.models import Assessment, Indicator, IndicatorValue
from indicators.synthetic import scale_data_counts
from tests.workstreams.factories import WorkstreamFactory
from workstreams.models import Action, ProgressUpdate, Workplan, Workstream

pytestmark = pytest.mark.django_db

FACTOR = "0.02"


def generate(*extra):
    call_command("generate_scale_data", "--factor", FACTOR, *extra, verbosity=0)


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


def test_a_second_run_refuses_and_replace_keeps_other_data():
    real = WorkstreamFactory(slug="housing")
    generate()
    before = counts()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert counts() == before
    generate("--replace")
    assert counts() == before
    assert Workstream.objects.filter(pk=real.pk).exists()


def test_refuses_a_factor_that_is_not_positive():
    with pytest.raises(CommandError, match="greater than 0"):
        call_command("generate_scale_data", "--factor", "0", verbosity=0)
    assert not Workstream.objects.exists()


def test_reports_what_it_wrote(capsys):
    call_command("generate_scale_data", "--factor", FACTOR)
    out = capsys.readouterr()
    assert "Generated 1 workstreams, 2 workplans, 20 actions" in out.out
    assert "rows" in out.err  # the tqdm progress bar
