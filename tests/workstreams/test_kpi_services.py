"""Recording output-KPI values through the services (ADR 32): who may, what
is refused, approval, locking and reopening, all-or-nothing bulk entry."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from indicators.models import IndicatorValue
from marmot.services import StaleRowVersion
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.models import KpiEntry
from workstreams.services.kpis import (
    BulkEntryErrors,
    EntryInput,
    KpiConflict,
    kpi_entries_record,
    kpi_entry_approve,
    kpi_entry_record,
    kpi_entry_reopen,
    kpi_entry_return,
    kpi_target_set,
)

pytestmark = pytest.mark.django_db
Status = KpiEntry.Status
RETIRED = dt.date(2026, 10, 1)  # from 2026/27 Q3


@pytest.fixture
def world(role_users):
    return build_kpi_world(role_users)


def record(world, who, kpi=None, period="2025/26 Q1", value=12, **kwargs):
    return kpi_entry_record(
        kpi=kpi or world.reported,
        user=world.users[who],
        period=period,
        value=value,
        today=TODAY,
        **kwargs,
    )


def published(kpi):
    return list(
        IndicatorValue.objects.filter(indicator=kpi.indicator).values_list(
            "period__label", "value"
        )
    )


def test_a_chairs_value_is_approved_and_published_at_once(world):
    entry = record(world, "chair", note="From the trust's returns")
    assert entry.status == Status.APPROVED
    assert entry.decided_by == world.users["chair"]
    assert published(world.reported) == [("2025/26 Q1", 12.0)]


def test_a_partners_value_waits_for_the_chair_then_is_published(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        entry = record(world, "partner", value=7)
    assert entry.status == Status.SUBMITTED
    assert entry.organisation == world.org
    assert published(world.reported) == []
    assert [m.to for m in mail.outbox] == [[world.users["chair"].email]]
    approved = kpi_entry_approve(entry=entry, user=world.users["chair"])
    assert approved.status == Status.APPROVED
    assert published(world.reported) == [("2025/26 Q1", 7.0)]


def test_a_returned_value_says_why_and_can_be_corrected(world):
    entry = record(world, "partner", value=700)
    with pytest.raises(ValidationError):
        kpi_entry_return(entry=entry, user=world.users["chair"], reason="  ")
    returned = kpi_entry_return(
        entry=entry, user=world.users["chair"], reason="700 looks like a typo"
    )
    assert returned.status == Status.RETURNED
    again = record(world, "partner", value=70)
    assert (again.pk, again.status, again.value) == (entry.pk, Status.SUBMITTED, 70)


@pytest.mark.parametrize("who", ["other_chair", "oversight", "anonymous"])
def test_nobody_else_may_record(world, who):
    user = world.users[who] or AnonymousUser()
    with pytest.raises(PermissionDenied):
        kpi_entry_record(
            kpi=world.reported, user=user, period="2025/26 Q1", value=1, today=TODAY
        )


def test_a_partner_may_not_record_a_kpi_their_organisation_does_not_report(world):
    with pytest.raises(PermissionDenied):
        record(world, "partner", kpi=world.chairs_own)


@pytest.mark.parametrize(
    ("value", "field"),
    [(-1, "value"), (2.5, "value"), (float("nan"), "value"), ("12", "value")],
)
def test_counts_are_whole_and_not_negative(world, value, field):
    with pytest.raises(ValidationError) as error:
        record(world, "chair", value=value)
    assert field in error.value.message_dict
    assert not KpiEntry.objects.exists()


@pytest.mark.parametrize(
    "period", ["2026/27 Q4", "2027/28 Q1", "2025/26", "2025", "Q5", "Apr 2025"]
)
def test_a_future_or_foreign_period_is_refused(world, period):
    with pytest.raises(ValidationError) as error:
        record(world, "chair", period=period)
    assert "period" in error.value.message_dict


def test_the_open_quarter_may_be_recorded(world):
    assert record(world, "chair", period="2026/27 Q3").status == Status.APPROVED


def test_an_approved_value_is_locked_until_an_officer_reopens_it(world):
    entry = record(world, "chair", value=12)
    assert record(world, "chair", value=12).pk == entry.pk  # the same again: fine
    with pytest.raises(KpiConflict):
        record(world, "chair", value=13)
    with pytest.raises(PermissionDenied):
        kpi_entry_reopen(entry=entry, user=world.users["chair"], reason="typo")
    with pytest.raises(ValidationError):
        kpi_entry_reopen(entry=entry, user=world.users["officer"], reason="")
    kpi_entry_reopen(entry=entry, user=world.users["officer"], reason="Trust revised")
    with pytest.raises(ValidationError) as error:
        record(world, "chair", value=13)
    assert "reason" in error.value.message_dict
    corrected = record(world, "chair", value=13, reason="The trust's revised return")
    assert corrected.status == Status.APPROVED
    assert corrected.correction_reason == "The trust's revised return"
    assert published(world.reported) == [("2025/26 Q1", 13.0)]
    statuses = [h.status for h in corrected.history.order_by("history_id")]
    assert statuses == [Status.APPROVED, Status.REOPENED, Status.APPROVED]


def test_a_stale_copy_is_refused(world):
    entry = record(world, "partner", value=5)
    with pytest.raises(StaleRowVersion):
        record(world, "partner", value=6, expected_row_version=entry.row_version - 1)
    with pytest.raises(ValidationError):
        kpi_entry_approve(
            entry=entry,
            user=world.users["chair"],
            expected_row_version=entry.row_version + 1,
        )


def test_bulk_entry_is_all_or_nothing_with_errors_by_row(world):
    rows = [
        EntryInput(kpi=world.reported, period="2025/26 Q1", value=10, row="row 2"),
        EntryInput(kpi=world.chairs_own, period="2025/26 Q1", value=-3, row="row 3"),
        EntryInput(kpi=world.chairs_own, period="2030/31 Q1", value=3, row="row 4"),
    ]
    with pytest.raises(BulkEntryErrors) as error:
        kpi_entries_record(items=rows, user=world.users["chair"], today=TODAY)
    assert set(error.value.rows) == {"row 3", "row 4"}
    assert error.value.rows["row 3"] == {
        "value": ["A count cannot be negative: enter 0 or more."]
    }
    assert not KpiEntry.objects.exists()
    assert published(world.reported) == []
    rows[1].value, rows[2].period = 3, "2025/26 Q2"
    entries = kpi_entries_record(items=rows, user=world.users["chair"], today=TODAY)
    assert len(entries) == 3


def test_targets_are_set_per_year_with_optional_quarters(world):
    targets = kpi_target_set(
        kpi=world.reported,
        user=world.users["chair"],
        year_label="2025/26",
        value=100,
        tolerance=10,
        quarters={1: 20, 2: 30},
    )
    assert sorted((t.period.label, t.value) for t in targets) == [
        ("2025/26", 100),
        ("2025/26 Q1", 20),
        ("2025/26 Q2", 30),
    ]
    targets = kpi_target_set(
        kpi=world.reported,
        user=world.users["chair"],
        year_label="2025/26",
        value=120,
        quarters={},
    )
    assert [(t.period.label, t.value) for t in targets] == [("2025/26", 120)]
    with pytest.raises(PermissionDenied):
        kpi_target_set(
            kpi=world.reported,
            user=world.users["partner"],
            year_label="2025/26",
            value=1,
        )
    with pytest.raises(ValidationError):
        kpi_target_set(
            kpi=world.reported, user=world.users["chair"], year_label="2025", value=1
        )


def test_editing_and_retiring_a_kpi_keeps_history(world):
    from workstreams.services.kpis import kpi_reinstate, kpi_retire, kpi_update

    kpi = world.chairs_own
    chair = world.users["chair"]
    kpi = kpi_update(
        kpi=kpi,
        user=chair,
        expected_row_version=kpi.row_version,
        name="Households given advice on damp and mould",
        activities=[world.activities[1]],
    )
    assert kpi.indicator.name == "Households given advice on damp and mould"
    with pytest.raises(StaleRowVersion):
        kpi_update(kpi=kpi, user=chair, expected_row_version=1, unit="homes")
    with pytest.raises(PermissionDenied):
        kpi_update(kpi=kpi, user=world.users["other_chair"], unit="homes")
    with pytest.raises(ValidationError) as error:
        kpi_update(kpi=kpi, user=chair, activities=[world.other_activity])
    assert "activities" in error.value.message_dict
    with pytest.raises(ValidationError):
        kpi_retire(kpi=kpi, user=chair, retired_on=TODAY, reason=" ")
    kpi = kpi_retire(
        kpi=kpi, user=chair, retired_on=RETIRED, reason="The advice service closed"
    )
    assert kpi.is_retired
    with pytest.raises(ValidationError) as error:
        record(world, "chair", kpi=kpi, period="2026/27 Q3")
    assert "retired" in str(error.value)
    assert record(world, "chair", kpi=kpi, period="2026/27 Q2").status  # before
    kpi = kpi_reinstate(kpi=kpi, user=chair)
    assert not kpi.is_retired
    names = [h.name for h in kpi.indicator.history.order_by("history_id")]
    assert names[0] == "Households given damp advice"
    assert names[-1] == "Households given advice on damp and mould"
    retired = [h.retired_on for h in kpi.indicator.history.order_by("history_id")]
    assert retired[-2:] == [RETIRED, None]
    assert kpi.history.count() >= 3
