"""The on-track roll-up rule (`workstreams.on_track`, ADR 19): every branch,
its boundaries, and the reasons in words."""

import datetime as dt

import pytest

from workstreams.due_reminders import ActionFacts
from workstreams.on_track import (
    SHAPES,
    Judgement,
    WorkstreamFacts,
    facts_count,
    judge,
)

ON, SOME, OFF, UNKNOWN = (
    Judgement.ON_TRACK,
    Judgement.SOME_CONCERNS,
    Judgement.OFF_TRACK,
    Judgement.NOT_YET_KNOWN,
)
SIGNED = "signed_off"
TODAY = dt.date(2026, 12, 2)


def facts(status=SIGNED, **counts) -> WorkstreamFacts:
    return WorkstreamFacts(workplan_status=status, **counts)


@pytest.mark.parametrize(
    ("given", "judgement", "reason"),
    [
        # 1. nothing to judge
        (facts(None), UNKNOWN, "no current workplan"),
        (facts(None, drafts_hidden=True), UNKNOWN, "no published workplan yet"),
        (
            facts("draft"),
            UNKNOWN,
            "the workplan has no actions yet; workplan not signed off (a draft)",
        ),
        (facts(cancelled=3), UNKNOWN, "3 of 3 actions cancelled"),
        # 2. every action done
        (
            facts(completed=2, cancelled=1),
            ON,
            "3 of 3 actions completed or cancelled",
        ),
        (
            facts("consultation", completed=1),
            SOME,
            "1 of 1 action completed or cancelled; "
            "workplan not signed off (in consultation)",
        ),
        # 3. off track: a third or more red, or a third or more overdue
        (
            facts("draft", red=2, green=4, overdue=1),
            OFF,
            "2 of 6 open actions red; 1 overdue; workplan not signed off (a draft)",
        ),
        (facts(red=1, green=2), OFF, "1 of 3 open actions red"),
        (
            facts(green=6, overdue=2, completed=5),
            OFF,
            "2 of 6 open actions overdue",
        ),
        # 4. some concerns: any red or overdue, a third amber or stale
        (facts(red=1, green=3), SOME, "1 of 4 open actions red"),
        (facts(green=4, overdue=1), SOME, "1 of 4 open actions overdue"),
        (
            facts(amber=2, green=4, stale=1),
            SOME,
            "2 of 6 open actions amber; 1 with no update for 30 days",
        ),
        (
            facts(green=6, stale=2, stale_days=45),
            SOME,
            "2 of 6 open actions with no update for 45 days",
        ),
        # 5. not yet known: more than half the open actions not rated
        (facts(green=2, not_rated=3), UNKNOWN, "3 of 5 open actions not rated"),
        # 6. some concerns: the workplan is not signed off
        (
            facts("draft", green=3, not_rated=3),
            SOME,
            "3 of 6 open actions green; 3 not rated; none overdue; "
            "workplan not signed off (a draft)",
        ),
        # 7. on track
        (
            facts(green=3, amber=1, stale=1),
            ON,
            "3 of 4 open actions green; 1 amber; 1 with no update for 30 days; "
            "none overdue; workplan signed off",
        ),
        (
            facts(not_rated=1, green=1),
            ON,
            "1 of 2 open actions green; 1 not rated; none overdue; workplan signed off",
        ),
        (
            facts("closed", green=1),
            ON,
            "1 of 1 open action green; none overdue; workplan signed off",
        ),
    ],
)
def test_the_rule(given, judgement, reason):
    verdict = judge(given)
    assert verdict.judgement == judgement
    assert verdict.reason == reason
    assert verdict.label == judgement.label
    assert verdict.shape == SHAPES[judgement]


def test_every_judgement_has_words_and_a_distinct_shape():
    assert [j.label for j in Judgement] == [
        "On track",
        "Some concerns",
        "Off track",
        "Not yet known",
    ]
    assert len(set(SHAPES.values())) == len(Judgement)


def action(pk, status="in_progress", rag="green", due=None, quiet=0):
    return ActionFacts(
        pk=pk,
        workstream_id=1,
        status=status,
        rag=rag,
        due_date=due,
        last_activity_on=TODAY - dt.timedelta(days=quiet),
    )


def test_counting_uses_the_reminders_definitions():
    actions = [
        action(1, rag="red", due=TODAY - dt.timedelta(days=1)),  # overdue
        action(2, rag="amber", due=TODAY),  # due today: not overdue
        action(3, rag="", quiet=30),  # stale at 30 days
        action(4, rag="green", quiet=29),
        action(5, status="completed", rag="red", due=dt.date(2020, 1, 1), quiet=99),
        action(6, status="cancelled", rag="amber"),
        action(7, status="on_hold", rag="", quiet=31),
    ]
    counted = facts_count(actions, workplan_status=SIGNED, today=TODAY, stale_days=30)
    assert counted == WorkstreamFacts(
        workplan_status=SIGNED,
        completed=1,
        cancelled=1,
        red=1,
        amber=1,
        green=1,
        not_rated=2,
        overdue=1,
        stale=2,
        stale_days=30,
    )
    assert counted.open == 5
    assert counted.actions == 7
    assert judge(counted).reason == (
        "1 of 5 open actions red; 1 overdue; 1 amber; "
        "2 with no update for 30 days; 2 not rated"
    )
