"""The import_fingertips and export_fingertips management commands."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from indicators.models import ImportRun, IndicatorValue
from tests.indicators.fingertips.helpers import (
    SAMPLE,
    csv_bytes,
    data_row_counts,
    sample_rows,
)
from tests.workstreams.factories import UserFactory


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (
            "import_fingertips",
            [
                "Fingertips data CSV",
                "--dry-run",
                "--quiet",
                "--user",
                "line and column",
            ],
        ),
        (
            "export_fingertips",
            ["--indicator CODE", "--area CODE", "--format {csv,xlsx}", "-o FILE"],
        ),
    ],
)
def test_help(command, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command(command, "--help")

    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for word in words:
        assert word in text


@pytest.mark.django_db
def test_import_command_reports_counts_and_records_the_user():
    user = UserFactory(username="officer")
    out = io.StringIO()

    call_command("import_fingertips", str(SAMPLE), "--user", "officer", stdout=out)

    assert "fingertips_sample.csv: 90 rows read; values 90 created, 0 updated" in (
        out.getvalue()
    )
    assert ImportRun.objects.get().started_by == user
    again = io.StringIO()
    call_command("import_fingertips", str(SAMPLE), "--quiet", stdout=again)
    assert "values 0 created, 0 updated, 90 unchanged" in again.getvalue()


@pytest.mark.django_db
def test_import_command_lists_problems_and_fails(tmp_path):
    rows = sample_rows()
    rows[0]["Value"] = "high"
    rows[1]["Denominator"] = "0"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows))

    with pytest.raises(CommandError) as error:
        call_command("import_fingertips", str(bad))

    assert str(error.value).splitlines() == [
        "bad.csv: rejected, 2 problem(s); nothing was imported.",
        "  line 2, column 'Value': 'high' is not a number",
        "  line 3, column 'Denominator': denominator 0 must be greater than zero",
    ]
    assert data_row_counts()["IndicatorValue"] == 0
    assert ImportRun.objects.get().status == "failed"


@pytest.mark.django_db
def test_import_command_dry_run_writes_nothing():
    out = io.StringIO()

    call_command("import_fingertips", str(SAMPLE), "--dry-run", stdout=out)

    assert out.getvalue().startswith("Dry run (rolled back): fingertips_sample.csv")
    assert "values 90 created" in out.getvalue()
    assert data_row_counts()["IndicatorValue"] == 0
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_import_command_refuses_a_missing_file_or_unknown_user(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_fingertips", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("import_fingertips", str(SAMPLE), "--user", "nobody")


@pytest.mark.django_db
def test_export_command_csv_to_stdout_and_file(tmp_path):
    call_command("import_fingertips", str(SAMPLE), stdout=io.StringIO())
    out = io.StringIO()

    call_command(
        "export_fingertips",
        "--indicator",
        "92443",
        "--area",
        "E92000001",
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Indicator ID,Indicator Name,Parent Code")
    assert len(lines) == 1 + 5 + 10  # header, England's 5 years, 10 deciles
    target = tmp_path / "le.csv"
    message = io.StringIO()
    call_command(
        "export_fingertips",
        "--indicator",
        "fingertips-90366",
        "-o",
        str(target),
        stdout=message,
    )
    assert message.getvalue().strip() == f"40 rows written to {target}."
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfIndicator ID,")
    assert data.count(b"\r\n") == 41


@pytest.mark.django_db
def test_export_command_xlsx(tmp_path):
    call_command("import_fingertips", str(SAMPLE), stdout=io.StringIO())
    target = tmp_path / "all.xlsx"

    call_command("export_fingertips", "-o", str(target), stdout=io.StringIO())

    sheet = load_workbook(target).active
    assert sheet.max_row == 1 + IndicatorValue.objects.count()
    assert (
        sheet.cell(row=1, column=23).value == "Compared to Region value or percentiles"
    )


@pytest.mark.django_db
def test_export_command_errors():
    with pytest.raises(CommandError, match="Unknown indicator"):
        call_command("export_fingertips", "--indicator", "no-such-indicator")
    with pytest.raises(CommandError, match="Unknown area"):
        call_command("export_fingertips", "--area", "E00000000")
    with pytest.raises(CommandError, match="XLSX needs an output file"):
        call_command("export_fingertips", "--format", "xlsx")
