"""Migration 0015 (ADR 40): existing milestones and priorities take
``updated_at`` (priorities ``created_at`` too) from their history, a priority
without history its workplan's. The migration's own function, run on the
current models (same fields), on PostgreSQL and SQLite alike."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from tests.workstreams.factories import (
    ActionFactory,
    MilestoneFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
)
from workstreams.models import Milestone, Workplan, WorkplanPriority

pytestmark = pytest.mark.django_db
migration = importlib.import_module("workstreams.migrations.0015_api_versions")
LONG_AGO = timezone.make_aware(dt.datetime(2024, 1, 2, 9, 0))
LATER = timezone.make_aware(dt.datetime(2024, 6, 3, 9, 0))


def test_dates_come_from_history_else_the_workplan():
    workplan = WorkplanFactory()
    Workplan.objects.filter(pk=workplan.pk).update(
        created_at=LONG_AGO, updated_at=LATER
    )
    recorded = WorkplanPriorityFactory(workplan=workplan)
    unrecorded = WorkplanPriorityFactory(workplan=workplan)
    recorded.history.update(history_date=LONG_AGO)
    recorded.history.create(
        id=recorded.pk,
        workplan=workplan,
        title=recorded.title,
        position=recorded.position,
        history_date=LATER,
        history_type="~",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    unrecorded.history.all().delete()
    milestone = MilestoneFactory(action=ActionFactory(workplan=workplan))
    milestone.history.update(history_date=LATER)

    migration.fill(apps, None)

    recorded.refresh_from_db()
    unrecorded.refresh_from_db()
    assert (recorded.created_at, recorded.updated_at) == (LONG_AGO, LATER)
    assert (unrecorded.created_at, unrecorded.updated_at) == (LONG_AGO, LATER)
    assert Milestone.objects.get(pk=milestone.pk).updated_at == LATER
    history = WorkplanPriority.history.filter(id=recorded.pk).order_by("history_date")
    assert [(h.created_at, h.updated_at) for h in history] == [
        (LONG_AGO, LONG_AGO),
        (LONG_AGO, LATER),
    ]
