"""Services for output KPIs: the KPIs themselves, their targets, and the values
recorded period by period (ADR 32).

Every entry point (site pages, spreadsheet upload, API, admin) goes through
these. A value is recorded once per KPI and period (a `KpiEntry`):

- the workstream's chair, a deputy or an officer records it approved, and it is
  published at once as the KPI indicator's value for the place's area;
- a partner of the reporting organisation records it submitted; the chairs are
  emailed; the chair approves it (published) or returns it with a reason (the
  partner is emailed, corrects it and submits it again);
- an approved value is locked: an officer reopens it with a reason, and the
  correction that follows must say why. The history keeps every step.

Counts are whole and not negative; no value is taken for a period that has not
started, for a period the KPI is not reported for, or after it was retired.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from indicators.assessment import indicator_values_changed
from indicators.formatting import indicator_value
from indicators.models import Indicator, Period, Target
from indicators.models.values import FIGURE_LIMIT
from indicators.periods import MAX_YEAR, MIN_YEAR
from indicators.reporting_periods import (
    financial_year_of,
    is_future,
    reporting_period,
    year_periods,
)
from indicators.selectors import place_get
from indicators.services.values import indicator_value_upsert, period_get_or_create
from marmot.services import (
    StaleRowVersion,
    StateConflict,
    m2m_set,
    record_upsert,
    row_version_bump,
    row_version_claim,
)
from marmot.site.mail import absolute_url, mail_send_on_commit
from workstreams import rules
from workstreams.models import Kpi, KpiEntry, LogicModelItem, Organisation, Workstream
from workstreams.services.submissions import workstream_chairs_emails

Status = KpiEntry.Status
CONFLICT_CODE = "conflict"  # the API answers 409 (marmot.api.errors)
STALE_CODE = "stale"
STALE_MESSAGE = (
    "Someone else changed this value since you opened it. Its current details "
    "are shown; make your change again."
)
LOCKED_MESSAGE = (
    "The {period} value is approved and locked. An officer can reopen it for "
    "correction, with a reason."
)
#: Fields of the KPI's indicator a chair may set, and of the KPI itself.
INDICATOR_FIELDS = (
    "name",
    "definition",
    "unit",
    "value_type",
    "polarity",
    "update_frequency",
    "year_to_date",
    "values_expected_from",
    "source",
    "display_decimals",
)
KPI_FIELDS = ("output", "reporting_organisation", "display_order")


class KpiConflict(StateConflict):
    """The entry's state refuses the change (approved and locked, decided
    meanwhile): nothing is written; the API answers 409."""

    def __init__(self, message: str):
        super().__init__(message, code=CONFLICT_CODE)


# --- KPIs -------------------------------------------------------------------


def _check_dates(**dates: dt.date | None) -> None:
    """A KPI's dates fall in the years periods are labelled in: one from the
    year 1370 once made every page showing the KPI fail."""
    errors = {
        name: f"Enter a date between {MIN_YEAR} and {MAX_YEAR - 1}."
        for name, date in dates.items()
        if date is not None and not MIN_YEAR <= date.year <= MAX_YEAR - 1
    }
    if errors:
        raise ValidationError(errors)


def _check_kpi_links(
    *,
    workstream: Workstream,
    output: LogicModelItem | None,
    activities: Iterable[LogicModelItem] | None,
) -> None:
    errors = {}
    if output is not None and (
        output.kind != LogicModelItem.Kind.OUTPUT
        or output.logic_model.workstream_id != workstream.pk
    ):
        errors["output"] = (
            f"Choose an output of the {workstream.name} workstream's logic model, "
            "or none."
        )
    wrong = [
        a.text
        for a in activities or ()
        if a.kind != LogicModelItem.Kind.ACTIVITY
        or a.logic_model.workstream_id != workstream.pk
    ]
    if wrong:
        errors["activities"] = (
            f"Choose activities of the {workstream.name} workstream's logic model "
            f"only (not: {'; '.join(wrong)})."
        )
    if errors:
        raise ValidationError(errors)


def _unique_code(workstream: Workstream, name: str) -> str:
    base = slugify(f"{workstream.slug}-{name}")[:72].strip("-") or workstream.slug
    code, n = base, 2
    while Indicator.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _link_indicator(kpi: Kpi, previous_output_id: int | None = None) -> None:
    """Keep the links indicators' own features read (ADR 30) in step: the
    workstream's measures and the output's measures include the KPI. A link
    already there is left alone: adding it again would write history."""
    if not kpi.workstream.indicators.filter(pk=kpi.indicator_id).exists():
        kpi.workstream.indicators.add(kpi.indicator)
    if previous_output_id and previous_output_id != kpi.output_id:
        LogicModelItem.objects.get(pk=previous_output_id).indicators.remove(
            kpi.indicator
        )
    if kpi.output_id and not kpi.output.indicators.filter(pk=kpi.indicator_id).exists():
        kpi.output.indicators.add(kpi.indicator)


@transaction.atomic
def kpi_create(
    *,
    workstream: Workstream,
    user,
    name: str,
    unit: str = "",
    value_type: str = Indicator.ValueType.COUNT,
    polarity: str = Indicator.Polarity.HIGH_IS_GOOD,
    update_frequency: str = Indicator.Frequency.QUARTERLY,
    year_to_date: str | None = None,
    values_expected_from: dt.date | None = None,
    definition: str = "",
    source: str = "",
    display_decimals: int = 0,
    output: LogicModelItem | None = None,
    activities: Iterable[LogicModelItem] | None = None,
    reporting_organisation: Organisation | None = None,
    display_order: int | None = None,
    code: str | None = None,
) -> Kpi:
    """A chair or officer adds an output KPI to a workstream.

    Counts are summed for the year to date unless said otherwise; a KPI of
    any other kind takes its latest period."""
    if user is not None and not rules.can_manage_kpis(user, workstream.pk):
        raise PermissionDenied(f"Only the {workstream.name} chairs can add its KPIs.")
    activities = list(activities or ())
    _check_kpi_links(workstream=workstream, output=output, activities=activities)
    _check_dates(values_expected_from=values_expected_from)
    if year_to_date is None:
        year_to_date = (
            Indicator.YearToDate.SUM
            if value_type == Indicator.ValueType.COUNT
            else Indicator.YearToDate.LATEST
        )
    indicator = Indicator(
        code=code or _unique_code(workstream, name),
        name=name,
        definition=definition,
        unit=unit,
        value_type=value_type,
        polarity=polarity,
        kind=Indicator.Kind.LOCAL_OUTPUT,
        update_frequency=update_frequency,
        year_to_date=year_to_date,
        values_expected_from=values_expected_from,
        source=source,
        display_decimals=display_decimals,
    )
    indicator.full_clean()
    indicator.save()
    if display_order is None:
        display_order = workstream.kpis.count() + 1
    kpi = Kpi(
        workstream=workstream,
        indicator=indicator,
        output=output,
        reporting_organisation=reporting_organisation,
        display_order=display_order,
    )
    kpi.full_clean()
    kpi.save()
    m2m_set(kpi.activities, activities)
    _link_indicator(kpi)
    return kpi


@transaction.atomic
def kpi_update(
    *,
    kpi: Kpi,
    user,
    expected_row_version: int | None = None,
    activities: Iterable[LogicModelItem] | None = None,
    **changes: Any,
) -> Kpi:
    """Change a KPI (its measure's name, unit, frequency, … and its links).

    ``row_version`` is bumped; with ``expected_row_version`` a copy changed by
    someone else since is refused (StaleRowVersion)."""
    unknown = set(changes) - set(INDICATOR_FIELDS) - set(KPI_FIELDS)
    if unknown:
        raise TypeError(f"kpi_update() cannot change {', '.join(sorted(unknown))}")
    if user is not None and not rules.can_manage_kpis(user, kpi.workstream_id):
        raise PermissionDenied(
            f"Only the {kpi.workstream.name} chairs can change its KPIs."
        )
    row_version_claim(model=Kpi, pk=kpi.pk, expected=expected_row_version)
    kpi = Kpi.objects.select_related("workstream", "indicator").get(pk=kpi.pk)
    activities = list(activities) if activities is not None else None
    output = changes.get("output", kpi.output)
    _check_kpi_links(workstream=kpi.workstream, output=output, activities=activities)
    _check_dates(values_expected_from=changes.get("values_expected_from"))
    previous_output_id = kpi.output_id
    indicator_changes = {k: v for k, v in changes.items() if k in INDICATOR_FIELDS}
    _, indicator_saved = record_upsert(
        model=Indicator,
        lookup={"pk": kpi.indicator_id},
        values=indicator_changes,
    )
    kpi_changes = {k: v for k, v in changes.items() if k in KPI_FIELDS}
    _, saved = record_upsert(model=Kpi, lookup={"pk": kpi.pk}, values=kpi_changes)
    kpi.refresh_from_db()
    linked = m2m_set(kpi.activities, activities)
    if (indicator_saved or linked) and not saved:
        row_version_bump(instance=kpi)
    _link_indicator(kpi, previous_output_id)
    return kpi


@transaction.atomic
def kpi_retire(*, kpi: Kpi, user, retired_on: dt.date, reason: str) -> Kpi:
    """Stop recording a KPI from ``retired_on``; its values stay published."""
    if not rules.can_manage_kpis(user, kpi.workstream_id):
        raise PermissionDenied(
            f"Only the {kpi.workstream.name} chairs can retire its KPIs."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the KPI is retired."})
    _check_dates(retired_on=retired_on)
    record_upsert(
        model=Indicator,
        lookup={"pk": kpi.indicator_id},
        values={"retired_on": retired_on},
    )
    record_upsert(
        model=Kpi, lookup={"pk": kpi.pk}, values={"retired_reason": reason.strip()}
    )
    return Kpi.objects.select_related("indicator", "workstream").get(pk=kpi.pk)


@transaction.atomic
def kpi_reinstate(*, kpi: Kpi, user) -> Kpi:
    """Record a retired KPI again."""
    if not rules.can_manage_kpis(user, kpi.workstream_id):
        raise PermissionDenied(
            f"Only the {kpi.workstream.name} chairs can reinstate its KPIs."
        )
    record_upsert(
        model=Indicator, lookup={"pk": kpi.indicator_id}, values={"retired_on": None}
    )
    record_upsert(model=Kpi, lookup={"pk": kpi.pk}, values={"retired_reason": ""})
    return Kpi.objects.select_related("indicator", "workstream").get(pk=kpi.pk)


# --- targets ------------------------------------------------------------------


def _place_area():
    place = place_get()
    if place is None:
        raise ValidationError("Load the place before recording its KPIs.")
    return place.area


def _check_number(value: Any, *, field_name: str, indicator: Indicator) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError({field_name: "Enter a number."})
    try:
        number = float(value)  # an int of 400 digits is beyond a float
    except OverflowError:
        number = None
    if number is not None and not math.isfinite(number):
        raise ValidationError({field_name: "Enter a finite number."})
    if number is None or abs(number) > FIGURE_LIMIT:
        raise ValidationError(
            {
                field_name: f"Enter a number between -{FIGURE_LIMIT:,.0f} and "
                f"{FIGURE_LIMIT:,.0f}."
            }
        )
    if indicator.value_type == Indicator.ValueType.COUNT:
        if value < 0:
            raise ValidationError(
                {field_name: "A count cannot be negative: enter 0 or more."}
            )
        if value != int(value):
            raise ValidationError(
                {field_name: f"A count is a whole number: {value:g} is not."}
            )
    return number


@transaction.atomic
def kpi_target_set(
    *,
    kpi: Kpi,
    user,
    year_label: str,
    value: float | None,
    tolerance: float = 0,
    tolerance_is_percent: bool = True,
    quarters: Mapping[int, float | None] | None = None,
    note: str = "",
) -> list[Target]:
    """Set (or with ``value=None`` remove) a KPI's target for a financial
    year, with its tolerance band; ``quarters`` ({1: 20, 2: 25, …}) sets
    targets for a quarterly KPI's quarters too (None or a missing quarter:
    none). ``note`` is stored on each target set. Returns the targets now set
    for that year."""
    if not rules.can_manage_kpis(user, kpi.workstream_id):
        raise PermissionDenied(
            f"Only the {kpi.workstream.name} chairs can set its KPIs' targets."
        )
    indicator = kpi.indicator
    if financial_year_of(year_label) != year_label:
        raise ValidationError(
            {"year": f"{year_label!r} is not a financial year such as 2025/26."}
        )
    if tolerance is None or not math.isfinite(tolerance) or tolerance < 0:
        raise ValidationError({"tolerance": "Enter a tolerance of 0 or more."})
    area = _place_area()
    start_year = int(year_label[:4])
    wanted: dict[str, float] = {}
    if value is not None:
        wanted[year_label] = _check_number(
            value, field_name="value", indicator=indicator
        )
    if quarters:
        if indicator.update_frequency != Indicator.Frequency.QUARTERLY:
            raise ValidationError(
                {"quarters": "Only a quarterly KPI has quarterly targets."}
            )
        labels = {p.position: p.label for p in year_periods("quarterly", start_year)}
        for quarter, amount in quarters.items():
            if quarter not in labels:
                raise ValidationError({"quarters": f"There is no quarter {quarter}."})
            if amount is not None:
                wanted[labels[quarter]] = _check_number(
                    amount, field_name=f"q{quarter}", indicator=indicator
                )
    year_periods_labels = {year_label} | {
        p.label for p in year_periods(indicator.update_frequency, start_year)
    }
    existing = Target.objects.filter(
        indicator=indicator, area=area, period__label__in=year_periods_labels
    ).select_related("period")
    for target in existing:
        is_quarter = target.period.label != year_label
        if target.period.label not in wanted and (
            not is_quarter or quarters is not None
        ):
            target.delete()
    for label, amount in wanted.items():
        record_upsert(
            model=Target,
            lookup={
                "indicator": indicator,
                "area": area,
                "period": period_get_or_create(label=label),
            },
            values={
                "value": amount,
                "amber_tolerance": tolerance,
                "tolerance_is_percent": tolerance_is_percent,
                "note": note[:300],
            },
        )
    indicator_values_changed(indicator_ids=[indicator.pk])
    return list(
        Target.objects.filter(
            indicator=indicator, area=area, period__label__in=year_periods_labels
        ).select_related("period")
    )


# --- entries ------------------------------------------------------------------


def _check_period(kpi: Kpi, period_label: str, today: dt.date) -> Period:
    indicator = kpi.indicator
    label = " ".join(str(period_label).split())
    expected = reporting_period(indicator.update_frequency, label)
    if expected is None:
        example = year_periods(indicator.update_frequency, 2025)
        shown = f", such as {example[0].label}" if example else ""
        frequency = indicator.get_update_frequency_display().lower()
        raise ValidationError(
            {"period": f"{label!r} is not a {frequency} period of this KPI{shown}."}
        )
    if is_future(expected.starts_on, today):
        raise ValidationError(
            {"period": f"{label} has not started yet: no value can be recorded for it."}
        )
    if indicator.retired_on and expected.starts_on >= indicator.retired_on:
        raise ValidationError(
            {"period": f"The KPI was retired on {indicator.retired_on:%-d %B %Y}."}
        )
    return period_get_or_create(label=label)


def _check_evidence(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {
                "evidence_url": "Enter a link that starts with http:// or https://, "
                "or leave it blank."
            }
        ) from None
    return url


def _publish(entry: KpiEntry) -> None:
    """The approved value becomes the KPI indicator's value for the place."""
    indicator = entry.kpi.indicator
    indicator_value_upsert(
        indicator=indicator,
        area=_place_area(),
        period=entry.period,
        value=entry.value,
        count=entry.value
        if indicator.value_type == Indicator.ValueType.COUNT
        else None,
        value_note=entry.note[:300],
        published_text=indicator_value(entry.value, indicator),
        source=f"Recorded for the {entry.kpi.workstream.name} workstream",
        release_date=timezone.localdate(),
    )
    indicator_values_changed(indicator_ids=[indicator.pk])


def _tell_chairs(entry: KpiEntry) -> None:
    workstream = entry.kpi.workstream
    mail_send_on_commit(
        to=workstream_chairs_emails(workstream),
        template="kpi_entry_submitted",
        context={
            "entry": entry,
            "kpi": entry.kpi.indicator.name,
            "period": entry.period.label,
            "organisation": entry.organisation.name if entry.organisation else "",
            "workstream": workstream.name,
            "approvals_url": absolute_url(
                reverse("kpi-approvals", args=[workstream.slug])
            ),
        },
    )


def _tell_submitter(entry: KpiEntry) -> None:
    if entry.entered_by is None or not entry.entered_by.email:
        return
    mail_send_on_commit(
        to=[entry.entered_by.email],
        template="kpi_entry_decision",
        context={
            "entry": entry,
            "kpi": entry.kpi.indicator.name,
            "period": entry.period.label,
            "status_label": entry.get_status_display(),
            "reason": entry.return_reason,
            "workstream": entry.kpi.workstream.name,
            "record_url": absolute_url(
                reverse("kpi-grid", args=[entry.kpi.workstream.slug])
            )
            + f"?period={entry.period.label}",
        },
    )


def _locked_entry(kpi: Kpi, period: Period) -> KpiEntry | None:
    return KpiEntry.objects.select_for_update().filter(kpi=kpi, period=period).first()


@dataclass
class EntryInput:
    """One value to record (a grid cell, a spreadsheet row, an API item)."""

    kpi: Kpi
    period: str
    value: Any
    note: str = ""
    evidence_url: str = ""
    reason: str = ""
    expected_row_version: int | None = None
    row: Any = None  # where it came from, for error messages
    errors: dict[str, list[str]] = field(default_factory=dict)


def _record_one(item: EntryInput, *, user, today: dt.date) -> tuple[KpiEntry, bool]:
    """Record one entry; returns it and whether anything changed."""
    kpi = item.kpi
    approving = rules.can_manage_kpis(user, kpi.workstream_id)
    if not approving and not rules.reports_kpi(user, kpi):
        raise PermissionDenied(
            f"You cannot record values of {kpi.indicator.name!r}: its workstream's "
            "chairs and the organisation that reports it can."
        )
    period = _check_period(kpi, item.period, today)
    value = _check_number(item.value, field_name="value", indicator=kpi.indicator)
    evidence_url = _check_evidence(item.evidence_url)
    note = (item.note or "").strip()
    reason = (item.reason or "").strip()
    entry = _locked_entry(kpi, period)
    if entry is not None:
        if item.expected_row_version is not None and (
            entry.row_version != item.expected_row_version
        ):
            raise StaleRowVersion(f"KPI entry {entry.pk} changed since it was read.")
        if entry.status == Status.APPROVED:
            if (
                entry.value == value
                and entry.note == note
                and (entry.evidence_url == evidence_url)
            ):
                return entry, False  # the same figure again: nothing to do
            raise KpiConflict(LOCKED_MESSAGE.format(period=period.label))
        if (
            not approving
            and entry.status == Status.SUBMITTED
            and (entry.organisation_id != kpi.reporting_organisation_id)
        ):
            raise PermissionDenied("Another organisation recorded this value.")
        if entry.status == Status.REOPENED and entry.value != value and not reason:
            raise ValidationError(
                {"reason": f"Say why the approved {period.label} value is corrected."}
            )
        unchanged = (
            entry.value == value
            and entry.note == note
            and entry.evidence_url == evidence_url
            and entry.status == (Status.APPROVED if approving else Status.SUBMITTED)
        )
        if unchanged:
            return entry, False
    else:
        entry = KpiEntry(kpi=kpi, period=period)
    was_reopened = entry.status == Status.REOPENED
    entry.value = value
    entry.note = note
    entry.evidence_url = evidence_url
    entry.entered_by = user
    if was_reopened:
        entry.correction_reason = reason
    if approving:
        entry.status = Status.APPROVED
        entry.decided_by = user
        entry.decided_at = timezone.now()
        entry.return_reason = ""
        if entry._state.adding:
            entry.organisation = None
    else:
        entry.status = Status.SUBMITTED
        entry.organisation = kpi.reporting_organisation
        entry.decided_by = None
        entry.decided_at = None
    if not entry._state.adding:
        entry.row_version += 1
    entry.full_clean()
    entry.save()
    if approving:
        _publish(entry)
    else:
        _tell_chairs(entry)
    return entry, True


def _kpi_for(item: EntryInput) -> Kpi:
    return Kpi.objects.select_related(
        "workstream", "indicator", "reporting_organisation"
    ).get(pk=item.kpi.pk)


@transaction.atomic
def kpi_entry_record(
    *,
    kpi: Kpi,
    user,
    period: str,
    value: Any,
    note: str = "",
    evidence_url: str = "",
    reason: str = "",
    expected_row_version: int | None = None,
    today: dt.date | None = None,
) -> KpiEntry:
    """Record one period's value of a KPI (see the module's docstring)."""
    item = EntryInput(
        kpi=kpi,
        period=period,
        value=value,
        note=note,
        evidence_url=evidence_url,
        reason=reason,
        expected_row_version=expected_row_version,
    )
    item.kpi = _kpi_for(item)
    entry, _ = _record_one(item, user=user, today=today or timezone.localdate())
    return entry


class BulkEntryErrors(ValidationError):
    """Some rows of a bulk entry are wrong; nothing was written. ``rows`` maps
    each wrong row (as the caller named it) to {field: [messages]}."""

    def __init__(self, rows: dict[Any, dict[str, list[str]]]):
        self.rows = rows
        super().__init__(
            [
                f"{row}: {name}: {message}"
                if name != "__all__"
                else f"{row}: {message}"
                for row, fields in rows.items()
                for name, messages in fields.items()
                for message in messages
            ]
        )


@transaction.atomic
def kpi_entries_record(
    *, items: Sequence[EntryInput], user, today: dt.date | None = None
) -> list[KpiEntry]:
    """Record many values at once, all or nothing: every row is checked, and if
    any is wrong nothing is written and :class:`BulkEntryErrors` names each
    wrong row and field. A row the same as what is recorded changes nothing.
    One KPI and period may appear once."""
    today = today or timezone.localdate()
    kpis = {
        k.pk: k
        for k in Kpi.objects.select_related(
            "workstream", "indicator", "reporting_organisation"
        ).filter(pk__in={item.kpi.pk for item in items})
    }
    errors: dict[Any, dict[str, list[str]]] = {}
    seen: dict[tuple[int, str], Any] = {}
    entries = []
    for number, item in enumerate(items, start=1):
        where = item.row if item.row is not None else f"row {number}"
        item.kpi = kpis[item.kpi.pk]
        key = (item.kpi.pk, " ".join(str(item.period).split()))
        if key in seen:
            errors[where] = {
                "period": [f"{key[1]} of this KPI is already given in {seen[key]}."]
            }
            continue
        seen[key] = where
        try:
            with transaction.atomic():
                entry, _ = _record_one(item, user=user, today=today)
            entries.append(entry)
        except ValidationError as error:
            errors[where] = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"__all__": error.messages}
            )
        except PermissionDenied as error:
            errors[where] = {"kpi": [str(error)]}
        except StaleRowVersion:
            errors[where] = {"__all__": [STALE_MESSAGE]}
    if errors:
        raise BulkEntryErrors(errors)
    return entries


def _lock_entry(entry: KpiEntry) -> KpiEntry:
    locked = KpiEntry.objects.select_for_update().filter(pk=entry.pk)
    if not list(locked.values_list("pk", flat=True)):
        raise KpiConflict("This value no longer exists.")
    return KpiEntry.objects.select_related(
        "kpi__workstream", "kpi__indicator", "period", "entered_by", "organisation"
    ).get(pk=entry.pk)


def _claim(entry: KpiEntry, expected_row_version: int | None) -> None:
    try:
        row_version_claim(model=KpiEntry, pk=entry.pk, expected=expected_row_version)
    except StaleRowVersion:
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE) from None


@transaction.atomic
def kpi_entry_approve(
    *, entry: KpiEntry, user, expected_row_version: int | None = None
) -> KpiEntry:
    """The chair approves a partner's value: it is published and locked."""
    entry = _lock_entry(entry)
    if not rules.can_decide_kpi_entry(user, entry):
        raise PermissionDenied(
            f"Only the {entry.kpi.workstream.name} chairs can approve its values."
        )
    if entry.status != Status.SUBMITTED:
        raise KpiConflict(
            f"This value is {entry.get_status_display().lower()}, not waiting for "
            "approval."
        )
    _claim(entry, expected_row_version)
    entry.status = Status.APPROVED
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.return_reason = ""
    entry.row_version += 1
    entry.save()
    _publish(entry)
    _tell_submitter(entry)
    return entry


@transaction.atomic
def kpi_entry_return(
    *, entry: KpiEntry, user, reason: str, expected_row_version: int | None = None
) -> KpiEntry:
    """The chair returns a partner's value with a reason, for correction."""
    entry = _lock_entry(entry)
    if not rules.can_decide_kpi_entry(user, entry):
        raise PermissionDenied(
            f"Only the {entry.kpi.workstream.name} chairs can return its values."
        )
    if entry.status != Status.SUBMITTED:
        raise KpiConflict(
            f"This value is {entry.get_status_display().lower()}, not waiting for "
            "approval."
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say what the partner should correct."})
    _claim(entry, expected_row_version)
    entry.status = Status.RETURNED
    entry.return_reason = reason.strip()
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.row_version += 1
    entry.save()
    _tell_submitter(entry)
    return entry


@transaction.atomic
def kpi_entry_reopen(
    *, entry: KpiEntry, user, reason: str, expected_row_version: int | None = None
) -> KpiEntry:
    """An officer unlocks an approved value for correction, with a reason. The
    approved figure stays published until a correction is approved."""
    if not rules.can_reopen_kpi_entry(user):
        raise PermissionDenied("Only officers can reopen an approved value.")
    entry = _lock_entry(entry)
    if entry.status != Status.APPROVED:
        raise KpiConflict(
            f"This value is {entry.get_status_display().lower()}, not approved."
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the approved value is reopened."})
    _claim(entry, expected_row_version)
    entry.status = Status.REOPENED
    entry.reopen_reason = reason.strip()
    entry.row_version += 1
    entry.save()
    return entry
