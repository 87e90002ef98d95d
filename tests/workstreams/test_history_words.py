"""History in words (marmot.history_words): the renderer on its own, then on
real history records, then the admin's history pages that use it."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import DeletedObject

from marmot import history_words as words
from marmot.history import DATA_LOAD
from marmot.principals import PRINCIPAL_CACHE, Principal
from tests.workstreams.factories import (
    ActionFactory,
    MarmotPrincipleFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
)
from workstreams.models import Action, Workplan, WorkplanPriority


def field(model, name):
    return model._meta.get_field(name)


def signed_in_reader():
    reader = get_user_model()(username="reader")
    setattr(reader, PRINCIPAL_CACHE, Principal(authenticated=True))
    return reader


# --- the renderer on its own (no database) ---------------------------------------

STATUS, RAG = field(Workplan, "status"), field(Action, "rag")
PRIORITY, DUE = field(Action, "priority"), field(Action, "due_date")


@pytest.mark.parametrize(
    ("model_field", "old", "new", "sentence"),
    [
        (
            STATUS,
            "consultation",
            "signed_off",
            "Status changed from “In consultation with partners” to “Signed off”.",
        ),
        (RAG, "", "amber", "RAG set to “Amber — at risk”."),
        (RAG, "red", "", "RAG cleared (was “Red — off track”)."),
        (
            PRIORITY,
            DeletedObject(WorkplanPriority, None),
            WorkplanPriority(title="Housing conditions"),
            "Priority set to “Housing conditions”.",
        ),
        (
            PRIORITY,
            DeletedObject(WorkplanPriority, 7),
            None,
            "Priority cleared (was “a workplan priority since deleted”).",
        ),
        (DUE, None, dt.date(2027, 3, 31), "Due date set to “31 March 2027”."),
        (
            DUE,
            dt.date(2026, 3, 31),
            dt.date(2027, 3, 31),
            "Due date changed from “31 March 2026” to “31 March 2027”.",
        ),
        (
            field(Action, "is_next_step"),
            False,
            True,
            "Published as a next step changed from “No” to “Yes”.",
        ),
        (field(Action, "description"), "Short.", "x" * 500, "Description changed."),
        (field(Action, "title"), "Old", "New", "Title changed from “Old” to “New”."),
    ],
)
def test_a_change_reads_as_a_sentence(model_field, old, new, sentence):
    assert words.change_sentence(model_field, old, new) == sentence


def test_no_sentence_shows_a_raw_value_or_a_missing_key():
    text = words.change_sentence(
        PRIORITY, DeletedObject(WorkplanPriority, None), None
    ) + words.change_sentence(STATUS, "draft", "signed_off")
    for raw in ("pk=None", "signed_off", "None", "Deleted workplan priority"):
        assert raw not in text


def test_people_by_name_under_the_public_people_rule():
    named = get_user_model()(username="sam", first_name="Sam", last_name="Jones")
    unnamed = get_user_model()(username="sam2")
    reader = signed_in_reader()
    assert words.person_name(reader, named) == "Sam Jones"
    assert words.person_name(reader, unnamed) == "sam2"
    assert words.person_name(AnonymousUser(), named) == words.PUBLIC_PERSON
    assert words.person_name(reader, None) == words.PERSON_NOT_RECORDED
    lead = field(Action, "lead_user")
    assert words.change_sentence(lead, None, named, reader=reader) == (
        "Lead user (receives reminders) set to “Sam Jones”."
    )


def test_deletions_creations_links_and_reasons():
    assert words.deleted_sentence(WorkplanPriority, "Housing conditions") == (
        "Deleted the workplan priority “Housing conditions”."
    )
    assert words.created_sentence(Action, "Warm homes") == (
        "Created the action “Warm homes”."
    )
    assert words.links_sentence(field(Action, "principles"), ["2. B"], ["1. A"]) == (
        "Principles: added “2. B”; removed “1. A”."
    )
    for empty in (None, "", "None"):
        assert words.reason_words(empty) == ""
    assert words.reason_words("Fixed a typo") == "Fixed a typo"
    assert words.reason_words(DATA_LOAD) == "Loaded from the place's data files"


# --- real history records ---------------------------------------------------------


def latest(obj_or_history, **filters):
    return obj_or_history.filter(**filters).order_by("-history_id")


@pytest.mark.django_db
def test_records_of_any_model_read_as_sentences():
    workplan = WorkplanFactory(status=Workplan.Status.CONSULTATION)
    workplan.status = Workplan.Status.SIGNED_OFF
    workplan.signed_off_on = dt.date(2025, 1, 15)
    workplan.save()
    record, before = latest(workplan.history)[:2]
    assert words.record_sentences(record, before) == [
        "Status changed from “In consultation with partners” to “Signed off”.",
        "Signed off on set to “15 January 2025”.",
    ]

    priority = WorkplanPriorityFactory(title="Housing conditions", workplan=workplan)
    action = ActionFactory(workplan=workplan, priority=None, rag="")
    action.priority, action.rag = priority, "amber"
    action.save()
    action.principles.add(MarmotPrincipleFactory(number=1, title="Best start"))
    records = list(latest(action.history))
    assert words.record_sentences(records[1], records[2]) == [
        "Priority set to “Housing conditions”.",
        "RAG set to “Amber — at risk”.",
    ]
    assert words.record_sentences(records[0], records[1]) == [
        "Principles: added “1. Best start”."
    ]

    action.priority = None
    action.save()
    priority_pk = priority.pk
    priority.delete()
    # A related row since deleted is named from its own history.
    records = list(latest(action.history))[1:]
    assert words.record_sentences(records[1], records[2])[0] == (
        "Priority set to “Housing conditions (since deleted)”."
    )
    deleted = latest(WorkplanPriority.history, id=priority_pk).first()
    assert words.record_sentences(deleted) == [
        "Deleted the workplan priority “Housing conditions”."
    ]
    created = latest(WorkplanPriority.history, id=priority_pk).last()
    assert words.record_sentences(created) == [
        "Created the workplan priority “Housing conditions”."
    ]


# --- the admin's history pages ----------------------------------------------------


@pytest.mark.django_db
def test_the_admin_history_page_reads_as_words(client):
    officer = UserFactory(
        is_staff=True, is_superuser=True, first_name="Olu", last_name="Officer"
    )
    workplan = WorkplanFactory(status=Workplan.Status.CONSULTATION)
    workplan._history_user = officer
    workplan.status = Workplan.Status.SIGNED_OFF
    workplan.signed_off_on = dt.date(2025, 1, 15)
    workplan.save()
    action = ActionFactory(workplan=workplan, priority=None, rag="")
    action.rag = "amber"
    action._history_user = officer
    action._change_reason = "Agreed at the board"
    action.save()
    client.force_login(officer)

    page = client.get(reverse("admin:workstreams_workplan_history", args=[workplan.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert (
        "Status changed from “In consultation with partners” to “Signed off”." in text
    )
    assert "Olu Officer" in text
    for raw in ("signed_off", "Change reason", ">None<", officer.username):
        assert raw not in text
    assert ">Reason<" not in text  # no version gives one

    page = client.get(reverse("admin:workstreams_action_history", args=[action.pk]))
    text = page.content.decode()
    assert "RAG set to “Amber — at risk”." in text
    assert ">Reason<" in text and "Agreed at the board" in text
    assert f"Created the action “{action.title}”." in text
    assert "pk=None" not in text


@pytest.mark.django_db
def test_the_admin_history_page_costs_the_same_for_a_longer_history(client):
    """Each row's words come from the records on the page: lists of links cost
    one query each for the page, not per row."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    counts = []
    for saves in (2, 8):
        action = ActionFactory()
        for n in range(saves):
            action.title = f"Title {n}"
            action.save()
            action.principles.add(MarmotPrincipleFactory(number=n % 8 + 1))
        url = reverse("admin:workstreams_action_history", args=[action.pk])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert "Title changed from" in page and "Principles: added" in page
        counts.append(len(queries))
    assert counts[1] <= counts[0]
