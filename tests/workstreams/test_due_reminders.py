"""The reminder rules (`workstreams.due_reminders`): pure functions, no database."""

import datetime as dt

import pytest

from workstreams import due_reminders

TODAY = dt.date(2026, 11, 23)  # a Monday, ISO week 48


def facts(pk=1, **kwargs):
    values = {
        "workstream_id": 10,
        "status": "in_progress",
        "rag": "green",
        "due_date": TODAY + dt.timedelta(days=30),
        "last_activity_on": TODAY - dt.timedelta(days=1),
        "lead_user_id": 100,
        **kwargs,
    }
    return due_reminders.ActionFacts(pk=pk, **values)


@pytest.mark.parametrize(
    "due, status, overdue",
    [
        (TODAY - dt.timedelta(days=1), "in_progress", True),
        (TODAY - dt.timedelta(days=1), "planned", True),
        (TODAY - dt.timedelta(days=1), "on_hold", True),
        (TODAY, "in_progress", False),  # due today is not yet overdue
        (TODAY - dt.timedelta(days=1), "completed", False),
        (TODAY - dt.timedelta(days=1), "cancelled", False),
        (None, "in_progress", False),
    ],
)
def test_overdue(due, status, overdue):
    assert (
        due_reminders.is_overdue(facts(due_date=due, status=status), today=TODAY)
        is overdue
    )


@pytest.mark.parametrize(
    "quiet_days, status, stale",
    [
        (30, "in_progress", True),
        (29, "in_progress", False),
        (200, "planned", True),
        (200, "completed", False),
        (200, "cancelled", False),
        (-3, "in_progress", False),  # news after the pretend date
    ],
)
def test_stale_after_the_given_days_without_news(quiet_days, status, stale):
    action = facts(
        status=status, last_activity_on=TODAY - dt.timedelta(days=quiet_days)
    )
    assert due_reminders.is_stale(action, today=TODAY, stale_days=30) is stale
    assert due_reminders.days_quiet(action, today=TODAY) == quiet_days


@pytest.mark.parametrize(
    "rag, status, at_risk",
    [
        ("red", "in_progress", True),
        ("amber", "planned", True),
        ("green", "in_progress", False),
        ("", "in_progress", False),
        ("red", "completed", False),
    ],
)
def test_at_risk(rag, status, at_risk):
    assert due_reminders.is_at_risk(facts(rag=rag, status=status)) is at_risk


def test_reasons_name_both_when_both():
    action = facts(
        due_date=TODAY - dt.timedelta(days=5),
        last_activity_on=TODAY - dt.timedelta(days=60),
    )
    assert due_reminders.reasons(action, today=TODAY, stale_days=30) == (
        due_reminders.OVERDUE,
        due_reminders.STALE,
    )
    assert due_reminders.reasons(facts(), today=TODAY, stale_days=30) == ()


def test_one_reminder_per_lead_listing_all_their_actions_earliest_due_first():
    late = facts(1, due_date=TODAY - dt.timedelta(days=3))
    later = facts(2, due_date=TODAY - dt.timedelta(days=40))
    quiet = facts(3, due_date=None, last_activity_on=TODAY - dt.timedelta(days=31))
    fine = facts(4)
    other_lead = facts(5, lead_user_id=200, due_date=TODAY - dt.timedelta(days=1))
    no_lead = facts(6, lead_user_id=None, due_date=TODAY - dt.timedelta(days=1))
    found = due_reminders.lead_reminders(
        [late, later, quiet, fine, other_lead, no_lead], today=TODAY, stale_days=30
    )
    assert [(x.recipient_id, x.action_ids) for x in found] == [
        (100, [2, 1, 3]),
        (200, [5]),
    ]


def test_period_keys():
    assert due_reminders.day_key(TODAY) == "2026-11-23"
    assert due_reminders.week_key(TODAY) == "2026-W48"
    assert due_reminders.week_key(dt.date(2026, 1, 1)) == "2026-W01"
    # The ISO year, not the calendar year:
    assert due_reminders.week_key(dt.date(2027, 1, 1)) == "2026-W53"


@pytest.mark.parametrize(
    "day, weekday, forced, due",
    [
        (TODAY, 0, False, True),
        (TODAY + dt.timedelta(days=1), 0, False, False),
        (TODAY + dt.timedelta(days=1), 0, True, True),
        (TODAY + dt.timedelta(days=4), 4, False, True),
    ],
)
def test_digest_day(day, weekday, forced, due):
    assert due_reminders.digest_due(day, weekday=weekday, forced=forced) is due


def test_not_yet_sent_drops_recipients_already_sent_to():
    reminders = [
        due_reminders.LeadReminder(1, (facts(),)),
        due_reminders.LeadReminder(2, (facts(),)),
    ]
    assert [
        x.recipient_id for x in due_reminders.not_yet_sent(reminders, sent_to=[2])
    ] == [1]


@pytest.mark.parametrize(
    "days_ago, earlier_ids, repeat_days, kept",
    [
        (3, [1, 2], 7, False),  # reminded of both three days ago
        (3, [1], 7, True),  # action 2 joined the list since
        (7, [1, 2], 7, True),  # a week on: remind again
        (1, [1, 2], 1, True),  # repeat every day
        (0, [1, 2], 7, True),  # today's is the idempotency check's job
    ],
)
def test_a_lead_is_not_reminded_again_too_soon(
    days_ago, earlier_ids, repeat_days, kept
):
    reminder = due_reminders.LeadReminder(100, (facts(1), facts(2)))
    earlier = {100: [(TODAY - dt.timedelta(days=days_ago), earlier_ids)]}
    result = due_reminders.not_recently_reminded(
        [reminder], earlier=earlier, today=TODAY, repeat_days=repeat_days
    )
    assert bool(result) is kept


def test_chair_digests_per_chair_with_a_section_per_workstream():
    overdue = facts(1, due_date=TODAY - dt.timedelta(days=2), lead_user_id=None)
    red = facts(2, rag="red")
    quiet = facts(3, last_activity_on=TODAY - dt.timedelta(days=45))
    fine = facts(4)
    elsewhere = facts(5, workstream_id=20, rag="amber")
    submissions = [
        due_reminders.SubmissionFacts(1, 10, "submitted"),
        due_reminders.SubmissionFacts(2, 10, "more_info"),
        due_reminders.SubmissionFacts(3, 10, "accepted"),
        due_reminders.SubmissionFacts(4, 30, "submitted"),
    ]
    digests = due_reminders.chair_digests(
        chairs={10: [7, 8], 20: [7], 30: [], 40: [9]},
        actions=[overdue, red, quiet, fine, elsewhere],
        submissions=submissions,
        today=TODAY,
        stale_days=30,
    )
    # 9 chairs workstream 40, which has nothing to report: no digest.
    assert [d.recipient_id for d in digests] == [7, 8]
    seven, eight = digests
    assert [s.workstream_id for s in seven.workstreams] == [10, 20]
    own = seven.workstreams[0]
    assert [a.pk for a in own.overdue] == [1]
    assert [a.pk for a in own.at_risk] == [2]
    assert [a.pk for a in own.stale] == [3]
    assert [s.pk for s in own.submissions] == [1, 2]
    assert [a.pk for a in own.no_named_lead] == [1]
    assert seven.action_ids == [1, 2, 3, 5]
    assert eight.workstreams == (own,)


def test_an_empty_section_is_empty():
    section = due_reminders.workstream_digest(
        10, actions=[facts()], submissions=[], today=TODAY, stale_days=30
    )
    assert section.is_empty
