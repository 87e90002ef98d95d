"""Hostile files that once took a worker's memory (issue 14, finding 10).

Each is small on disk and huge when read naively: an XLSX with cells at XFD1
and XFD1048576, an XLSX with one huge shared string, a table whose header has
4 million tabs, a Fingertips file of bad rows. Each is built in code
(tests/indicators/hostile_builders.py), refused by ``manage.py import_*`` and
the admin upload with a message naming the limit, quickly, and nothing but the
failed ImportRun is written. bench/hostile_memory.py measures their peak
memory (the aim: none above 300 MB).
"""

import io
import signal
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.fingertips.columns import EXPORT_HEADER
from indicators.models import ImportRun
from tests.indicators.fingertips.helpers import data_row_counts
from tests.indicators.hostile_builders import (
    fingertips_bad_rows,
    tsv_wide_header,
    xlsx_far_cells,
    xlsx_huge_shared_string,
)
from tests.indicators.measures_helpers import counts
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db

FINGERTIPS_URL = "admin:indicators_import_fingertips"
MEASURES_URL = "admin:indicators_import_measures"

SECONDS = 60  # far more than any of them takes; the naive reader never ends

# name -> (command, file name, builder, texts the problems must contain)
CORPUS = {
    "XLSX with cells at XFD1 and XFD1048576": (
        "import_measures",
        "far.xlsx",
        xlsx_far_cells,
        [
            'sheet "Measures" has cells up to column XFD and row 1,048,576',
            "the template is read up to column DP and row 1,001",
        ],
    ),
    "XLSX with one 64 MB shared string": (
        "import_measures",
        "string.xlsx",
        lambda: xlsx_huge_shared_string(64),
        [
            "the workbook's part xl/sharedStrings.xml is 64 MB uncompressed; "
            "at most 20 MB is read"
        ],
    ),
    "TSV header of 4 million tabs": (
        "import_measures",
        "wide.tsv",
        tsv_wide_header,
        ["row 1: 4,000,002 columns; a table may have at most 120"],
    ),
    # 4 MB here to keep the suite quick; bench/hostile_memory.py reads 16 MB.
    "4 MB Fingertips file of bad rows": (
        "import_fingertips",
        "bad.csv",
        lambda: fingertips_bad_rows(list(EXPORT_HEADER), 4),
        [
            "line 2, column 'Indicator ID': 'x' is not a Fingertips indicator id",
            "problems in all; the first 100 are listed)",
        ],
    ),
}


@pytest.fixture
def deadline():
    """Fail (rather than hang) a read that does not end within SECONDS."""

    def expired(signum, frame):
        raise TimeoutError(f"still reading after {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(SECONDS)
    started = time.monotonic()
    yield started
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _uploader():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=("add_indicatorvalue", "view_importrun")
        )
    )
    return user


def _before(command: str) -> dict:
    return data_row_counts() if command == "import_fingertips" else counts()


def _nothing_written(command: str, before: dict) -> ImportRun:
    assert _before(command) == before
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert (run.values_created, run.values_updated) == (0, 0)
    assert len(run.errors) <= 101
    assert len(str(run.errors)) < 30_000
    return run


@pytest.mark.parametrize("case", CORPUS)
def test_the_command_refuses_the_file_naming_the_limit(
    case, tmp_path, place_loaded, deadline
):
    command, name, build, expected = CORPUS[case]
    path = tmp_path / name
    path.write_bytes(build())
    before = _before(command)
    with pytest.raises(CommandError) as raised:
        call_command(command, str(path), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith(f"{name}: rejected,"), message[:300]
    assert "nothing was imported" in message
    for text in expected:
        assert text in message, (text, message[:600])
    assert len(message) < 30_000
    _nothing_written(command, before)


@pytest.mark.parametrize("case", CORPUS)
def test_the_admin_upload_refuses_the_file_naming_the_limit(
    case, client, place_loaded, deadline
):
    command, name, build, expected = CORPUS[case]
    url = FINGERTIPS_URL if command == "import_fingertips" else MEASURES_URL
    client.force_login(_uploader())
    before = _before(command)
    response = client.post(reverse(url), {"file": SimpleUploadedFile(name, build())})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) <= 101
    count = response.context["problem_count"]  # every problem, not just those listed
    assert count >= len(problems) - 1 and (count > 100) == (len(problems) == 101)
    joined = "\n".join(problems)
    for text in expected:
        assert text in joined, (text, joined[:600])
    assert "nothing was saved" in response.content.decode()
    assert len(response.content) < 100_000
    _nothing_written(command, before)


def test_a_file_of_bad_rows_counts_every_problem_but_keeps_the_first_100(
    tmp_path, deadline
):
    path = tmp_path / "bad.csv"
    data = fingertips_bad_rows(list(EXPORT_HEADER), 1)
    path.write_bytes(data)
    rows = data.count(b"\n") - 1
    with pytest.raises(CommandError) as raised:
        call_command("import_fingertips", str(path), stdout=io.StringIO())
    first, *listed = str(raised.value).splitlines()
    run = ImportRun.objects.get()
    total = int(first.split("rejected, ")[1].split(" ")[0].replace(",", ""))
    assert total > rows * 10  # every row has a dozen problems, all counted
    assert len(listed) == 101 and len(run.errors) == 101
    more = f"…and {total - 100:,} more ({total:,} problems in all; "
    assert listed[-1].strip().startswith(more)
    assert run.errors[-1]["message"].startswith(more)
