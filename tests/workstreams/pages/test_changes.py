"""The changes page: what changed since a date, per role, as a page and CSV."""

import csv
import io

import pytest

from tests.workstreams.factories import (
    ActionFactory,
    SubmissionFactory,
)
from tests.workstreams.pages.fixtures import (
    SINCE,
    SINCE_QUERY,
    build_changes,
    changes_url,
)
from workstreams.models import Action, Workstream
from workstreams.page_selectors.changes_csv import csv_safe
from workstreams.services import action_update

pytestmark = pytest.mark.django_db


def text_of(response):
    return response.content.decode()


def test_anonymous_sees_published_changes_with_from_and_to(client, role_users):
    users = build_changes(role_users)
    response = client.get(changes_url())
    assert response.status_code == 200
    html = text_of(response)
    heading = f"Changes since {SINCE.day} {SINCE:%B %Y}"
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert f"<title>{heading} – " in html
    assert "Testshire" in html  # the place's name
    # new, completed, status and RAG changes with who
    assert "New tenancy support" in html and "New action" in html
    assert "Retrofit homes" in html
    assert 'govuk-tag--grey">Planned</strong>' in html
    assert "Red – off track" in html and "Green – on track" in html
    assert "Advice line" in html and ">Completed<" in html
    # who, as the public may know them (ADR 26): never a name
    assert users["officer"].get_full_name() not in html
    assert "a programme user" in html
    assert "Changed long ago" not in html
    # progress updates, grouped by workstream
    assert "The advice line is open." in html
    assert '<h3 class="govuk-heading-m">Housing</h3>' in html
    # outcome measures: a new value and a changed assessment, in words
    assert "12.5%" in html and "2023" in html
    assert "Worse than England" in html and "Similar to England" in html
    # nothing from drafts, no submissions at all
    assert "Secret draft action" not in html
    assert "Partner submissions" not in html and "Community fridge" not in html


def test_changed_assessment_is_listed_from_before_to_after(client, role_users):
    build_changes(role_users)
    html = text_of(client.get(changes_url()))
    section = html[html.index('id="assessments"') :]
    assert section.index("Worse than England") < section.index("Similar to England")


def test_oversight_sees_drafts_and_every_submission(client_as, role_users):
    users = build_changes(role_users)
    html = text_of(client_as(users["oversight"]).get(changes_url()))
    assert "Secret draft action" in html and "On hold" in html
    assert "Partner submissions" in html
    assert "Community fridge" in html and "Job club" in html


def test_a_partner_sees_only_their_organisations_submissions(client_as, role_users):
    users = build_changes(role_users)
    html = text_of(client_as(users["partner"]).get(changes_url()))
    assert "Community fridge" in html and "Job club" not in html
    assert "Secret draft action" not in html


def test_a_chair_sees_their_workstreams_submissions_and_drafts(client_as, role_users):
    users = build_changes(role_users)
    html = text_of(client_as(users["other_chair"]).get(changes_url()))
    assert "Job club" in html and "Community fridge" not in html
    assert "Secret draft action" in html


def test_without_a_date_it_shows_the_last_thirty_days(client, role_users):
    build_changes(role_users)
    html = text_of(client.get(changes_url("")))
    assert f"Changes since {SINCE.day} {SINCE:%B %Y}" in html
    assert 'name="since_day"' in html and f'value="{SINCE.day}"' in html
    assert f'value="{SINCE.month}"' in html and f'value="{SINCE.year}"' in html


def test_the_date_input_boxes_are_read(client, role_users):
    build_changes(role_users)
    query = f"since_day={SINCE.day}&since_month={SINCE.month}&since_year={SINCE.year}"
    html = text_of(client.get(changes_url(query)))
    assert "New tenancy support" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2026-02-30", "Enter a real date"),
        ("since=yesterday", "Enter a real date"),
        ("since_day=1&since_month=13&since_year=2026", "Enter a real date"),
        ("since_day=&since_month=&since_year=", "Enter the date to show changes since"),
        ("since=2999-01-01", "The date must be today or in the past"),
    ],
)
def test_a_bad_date_shows_the_error_summary(client, query, message):
    response = client.get(changes_url(query))
    assert response.status_code == 200
    html = text_of(response)
    assert "govuk-error-summary" in html and message in html
    assert '<a href="#id_since_day">' in html
    assert "<title>Error: Changes since a date" in html
    assert "Download these changes" not in html


def test_csv_download_has_the_same_changes(client_as, role_users):
    users = build_changes(role_users)
    response = client_as(users["oversight"]).get(
        changes_url(f"since={SINCE.isoformat()}&format=csv")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"changes-since-{SINCE.isoformat()}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Section",
        "Workstream",
        "Item",
        "Change",
        "From",
        "To",
        "Who",
        "When",
    ]
    by_item = {(r[2], r[3]): r for r in rows[1:]}
    status = by_item[("Retrofit homes", "Status changed")]
    assert status[1] == "Housing" and status[4:6] == ["Planned", "In progress"]
    assert by_item[("Retrofit homes", "RAG rating changed")][4:6] == [
        "Green – on track",
        "Red – off track",
    ]
    assert ("Advice line", "Completed") in by_item
    changed = by_item[("Fuel poverty (2022)", "Assessment against England changed")]
    assert changed[4:6] == ["Worse than England", "Similar to England"]
    assert any(r[0] == "Partner submissions" for r in rows)


def test_csv_for_anonymous_has_no_submissions_or_drafts(client, role_users):
    build_changes(role_users)
    content = client.get(changes_url(f"since={SINCE}&format=csv")).content.decode()
    assert "Secret draft action" not in content
    assert "Partner submissions" not in content and "Job club" not in content


def test_csv_cells_that_could_be_formulas_are_neutralised(client, role_users):
    build_changes(role_users)
    plan = Action.objects.get(title="Retrofit homes").workplan
    ActionFactory(workplan=plan, title='=HYPERLINK("http://evil.example","x")')
    ActionFactory(workplan=plan, title="@SUM(A1)")
    content = client.get(changes_url(f"since={SINCE}&format=csv")).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    titles = [r[2] for r in rows]
    assert '\'=HYPERLINK("http://evil.example","x")' in titles
    assert "'@SUM(A1)" in titles
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1582", "'+44 1582"),
        ("-3.2", "'-3.2"),
        ("@cmd", "'@cmd"),
        ("\t=x", "'\t=x"),
        ("Plain", "Plain"),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe(cell, safe):
    assert csv_safe(cell) == safe


@pytest.mark.parametrize("role", ["anonymous", "oversight", "partner"])
def test_queries_do_not_grow_with_the_changes(
    client_as, role_users, django_assert_max_num_queries, role
):
    users = build_changes(role_users, extra_actions=1)
    client = client_as(users[role])
    with django_assert_max_num_queries(16):
        assert client.get(changes_url()).status_code == 200
    ws = Workstream.objects.get(name="Housing")
    plan = ws.workplans.get()
    for n in range(15):
        action = ActionFactory(workplan=plan, title=f"More {n}")
        action_update(action=action, status="on_hold", rag="red")
        SubmissionFactory(workstream=ws, title=f"More proposal {n}")
    with django_assert_max_num_queries(16):
        response = client.get(changes_url())
    assert "More 14" in text_of(response)
    with django_assert_max_num_queries(16):
        assert client.get(changes_url(f"since={SINCE}&format=csv")).status_code == 200


def test_the_page_shows_the_latest_rows_of_each_workstream_and_the_csv_all(
    client_as, role_users, monkeypatch
):
    """A busy period: the page keeps the latest rows per workstream and section,
    says how many there are and points to the CSV, which has every row."""
    monkeypatch.setattr("workstreams.views.changes.ROWS_SHOWN", 2)
    users = build_changes(role_users, extra_actions=3)
    client = client_as(users["oversight"])
    text = text_of(client.get(changes_url()))
    # Housing's four updates: the advice line's, then Note 0, 1 and 2.
    assert "Showing the latest 2 of 4 progress updates in Housing" in text
    assert "Note 2" in text and "Note 1" in text
    assert "Note 0" not in text and "The advice line is open." not in text
    assert "Showing the latest 2 of 4 submissions in Housing" in text
    assert "Showing the latest 2 of" in text and "action changes in Housing" in text
    summary = text.split('id="summary"')[1].split("</dl>")[0]
    assert '<a class="govuk-link" href="#updates">4<' in summary
    assert "format=csv" in text
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(changes_url(f"{SINCE_QUERY}&format=csv")).content.decode()
            )
        )
    )
    updates = [r[3] for r in rows if r[0] == "Progress updates"]
    assert len(updates) == 4 and "Progress update: Note 0" in updates


def test_an_unbusy_period_shows_every_row_and_no_more_link(client_as, role_users):
    users = build_changes(role_users)
    text = text_of(client_as(users["oversight"]).get(changes_url()))
    assert "Showing the latest" not in text
    assert "The advice line is open." in text
