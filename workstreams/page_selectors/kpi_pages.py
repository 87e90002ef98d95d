"""Read-models for the output-KPI pages (ADR 32): the workstream's KPIs with
their progress, one KPI with every period and its history, the "Record values"
grid's rows for one period, and the approvals queue.

Every figure (year to date, targets, judgements, overdue periods) comes from
`indicators.output_progress.output_progress`; nothing is recomputed here. Each
read is a fixed number of queries whatever the number of KPIs or entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from indicators.models import Indicator, Target
from indicators.output_progress import OutputProgress, output_progress
from indicators.reporting_periods import (
    PERIODS_IN_YEAR,
    ReportingPeriod,
    financial_year_label,
    financial_year_of,
    financial_year_start,
    open_period,
    periods_between,
    reporting_period,
    year_periods,
)
from indicators.selectors import place_get
from workstreams import rules
from workstreams.models import Kpi, KpiEntry, LogicModelItem, Organisation, Workstream

Status = KpiEntry.Status
#: How many financial years back the period picker offers.
PICKER_YEARS = 2


def workstream_get(slug: str) -> Workstream:
    return get_object_or_404(Workstream, slug=slug)


def _kpis() -> object:
    return Kpi.objects.select_related(
        "workstream", "indicator", "reporting_organisation", "output"
    )


def kpi_get(pk: int) -> Kpi:
    """The KPI with its workstream, measure, reporting organisation and output."""
    return get_object_or_404(_kpis(), pk=pk)


def entry_get(pk: int) -> KpiEntry:
    return get_object_or_404(
        KpiEntry.objects.select_related(
            "kpi__workstream", "kpi__indicator", "period", "organisation"
        ),
        pk=pk,
    )


def _area_id() -> int | None:
    place = place_get()
    return place.area_id if place is not None else None


def may_record_in(user, workstream: Workstream, kpis: list[Kpi]) -> bool:
    """Whether the "Record values" page is open to ``user``: the chairs and
    officers, and partners of an organisation that reports one of its KPIs."""
    return rules.can_manage_kpis(user, workstream.pk) or any(
        rules.reports_kpi(user, kpi) for kpi in kpis
    )


# --- the list ---------------------------------------------------------------


@dataclass
class KpiRow:
    kpi: Kpi
    progress: OutputProgress


@dataclass
class KpiListPage:
    workstream: Workstream
    active: list[KpiRow]
    retired: list[KpiRow]
    can_manage: bool
    can_record: bool
    can_view_approvals: bool
    waiting: int


def workstream_kpis(workstream: Workstream) -> list[Kpi]:
    return list(_kpis().filter(workstream=workstream))


def kpi_list_page(*, user, workstream: Workstream, today: dt.date) -> KpiListPage:
    kpis = workstream_kpis(workstream)
    progress = output_progress(
        [k.indicator for k in kpis], area_id=_area_id(), today=today
    )
    rows = [KpiRow(kpi, progress[kpi.indicator_id]) for kpi in kpis]
    can_view_approvals = rules.can_view_kpi_entries_of(user, workstream.pk)
    waiting = 0
    if can_view_approvals:
        waiting = KpiEntry.objects.filter(
            kpi__workstream=workstream, status=Status.SUBMITTED
        ).count()
    return KpiListPage(
        workstream=workstream,
        active=[r for r in rows if not r.kpi.is_retired],
        retired=[r for r in rows if r.kpi.is_retired],
        can_manage=rules.can_manage_kpis(user, workstream.pk),
        can_record=may_record_in(user, workstream, kpis),
        can_view_approvals=can_view_approvals,
        waiting=waiting,
    )


# --- one KPI ----------------------------------------------------------------


@dataclass
class YearOfEntries:
    label: str
    progress: OutputProgress
    rows: list[dict]


@dataclass
class HistoryLine:
    when: dt.datetime
    who: object  # a user or None
    text: str


@dataclass
class KpiDetailPage:
    kpi: Kpi
    activities: list[LogicModelItem]
    years: list[YearOfEntries]
    targets: list[Target]
    history: list[HistoryLine]
    can_manage: bool
    can_reopen: bool
    can_record: bool
    sees_all_entries: bool


def _years_of(kpi: Kpi, entries: list[KpiEntry], today: dt.date) -> list[str]:
    """Every financial year from the first expected (or recorded) one to now."""
    starts = {financial_year_start(today)}
    if kpi.indicator.values_expected_from:
        starts.add(financial_year_start(kpi.indicator.values_expected_from))
    for entry in entries:
        year = financial_year_of(entry.period.label)
        if year:
            starts.add(int(year[:4]))
    first, last = min(starts), max(starts)
    return [financial_year_label(y) for y in range(last, first - 1, -1)]


def kpi_detail_page(*, user, kpi: Kpi, today: dt.date) -> KpiDetailPage:
    entries = list(
        rules.visible_kpi_entries(user, KpiEntry.objects.filter(kpi=kpi))
        .select_related("period", "organisation")
        .order_by("period__sort_key")
    )
    by_label = {e.period.label: e for e in entries}
    area_id = _area_id()
    years = []
    for label in _years_of(kpi, entries, today):
        progress = output_progress(
            [kpi.indicator], area_id=area_id, today=today, year_label=label
        )[kpi.indicator_id]
        rows = [
            {"figure": figure, "entry": by_label.get(figure.period.label)}
            for figure in progress.periods
            if figure.period.starts_on <= today
            or figure.period.label in by_label
            or figure.target is not None
        ]
        years.append(YearOfEntries(label, progress, rows))
    targets = list(
        Target.objects.filter(indicator=kpi.indicator, area_id=area_id)
        .select_related("period")
        .order_by("-period__sort_key")
    )
    return KpiDetailPage(
        kpi=kpi,
        activities=list(kpi.activities.order_by("position", "id")),
        years=years,
        targets=targets,
        history=kpi_history(user=user, kpi=kpi),
        can_manage=rules.can_manage_kpis(user, kpi.workstream_id),
        can_reopen=rules.can_reopen_kpi_entry(user),
        can_record=rules.can_record_kpi(user, kpi),
        sees_all_entries=rules.can_view_kpi_entries_of(user, kpi.workstream_id),
    )


_KPI_FIELD_WORDS = {
    "output_id": "the output it counts",
    "reporting_organisation_id": "the reporting organisation",
    "display_order": "its place in the list",
    "retired_reason": "why it was retired",
}
_INDICATOR_FIELD_WORDS = {
    "name": "name",
    "definition": "definition",
    "unit": "unit",
    "value_type": "kind of value",
    "polarity": "which way is good",
    "update_frequency": "frequency",
    "year_to_date": "how the year to date is found",
    "values_expected_from": "when values are first expected",
    "source": "data source",
    "display_decimals": "decimal places",
}


def _changed(previous, record, words: dict[str, str]) -> list[str]:
    """The fields (in words) that differ between two history records."""
    if previous is None:
        return []
    return [
        words[name]
        for name in words
        if getattr(previous, name, None) != getattr(record, name, None)
    ]


def _entry_line(record, previous) -> str | None:
    period = record.period.label
    value = f"{record.value:g}"
    status = record.status
    before = previous.status if previous is not None else None
    if status == Status.SUBMITTED:
        verb = "submitted" if before is None else "corrected and submitted again"
        return f"{period}: {value} {verb}, waiting for approval."
    if status == Status.RETURNED and before != Status.RETURNED:
        return f"{period}: returned to the partner: {record.return_reason}"
    if status == Status.REOPENED and before != Status.REOPENED:
        return f"{period}: reopened for correction: {record.reopen_reason}"
    if status == Status.APPROVED:
        if before == Status.SUBMITTED and previous.value == record.value:
            return f"{period}: {value} approved."
        if before == Status.REOPENED:
            why = f" ({record.correction_reason})" if record.correction_reason else ""
            return f"{period}: corrected to {value} and approved{why}."
        if before is None:
            return f"{period}: {value} recorded and approved."
        return f"{period}: {value} recorded and approved."
    if previous is not None and (
        previous.value != record.value or previous.note != record.note
    ):
        return f"{period}: changed to {value}."
    return None


def _who(record):
    """Who took an entry's step: the user of the request that saved it, else
    the one the entry names (the decider of a decision, else the enterer)."""
    if record.history_user is not None:
        return record.history_user
    if record.status in (Status.APPROVED, Status.RETURNED) and record.decided_by:
        return record.decided_by
    return record.entered_by


def kpi_history(*, user, kpi: Kpi) -> list[HistoryLine]:
    """The KPI's changes and its entries' steps, newest first, in words.

    Those who may not see entries waiting for approval (the public, other
    partners) read only the steps of approved values."""
    lines: list[HistoryLine] = []
    kpi_records = list(
        kpi.history.select_related("history_user").order_by(
            "history_date", "history_id"
        )
    )
    previous = None
    for record in kpi_records:
        changed = _changed(previous, record, _KPI_FIELD_WORDS)
        if record.history_type == "+":
            text = "KPI added."
        elif record.retired_reason and "why it was retired" in changed:
            text = f"Retired: {record.retired_reason}"
        elif "why it was retired" in changed:
            text = "Reinstated: recorded again."
        elif changed:
            text = f"Changed {', '.join(changed)}."
        else:
            text = None
        if text:
            lines.append(HistoryLine(record.history_date, record.history_user, text))
        previous = record
    indicator_records = list(
        Indicator.history.filter(id=kpi.indicator_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for previous, record in pairwise(indicator_records):
        changed = _changed(previous, record, _INDICATOR_FIELD_WORDS)
        if changed:
            lines.append(
                HistoryLine(
                    record.history_date,
                    record.history_user,
                    f"Changed the measure's {', '.join(changed)}.",
                )
            )
    sees_all = rules.can_view_kpi_entries_of(user, kpi.workstream_id) or (
        rules.reports_kpi(user, kpi)
    )
    entry_records = KpiEntry.history.filter(kpi_id=kpi.pk).select_related(
        "history_user", "period", "entered_by", "decided_by"
    )
    if not sees_all:
        public = (Status.APPROVED, Status.REOPENED)
        entry_records = entry_records.filter(status__in=public)
    previous_of: dict[int, object] = {}
    for record in entry_records.order_by("history_date", "history_id"):
        text = _entry_line(record, previous_of.get(record.id))
        previous_of[record.id] = record
        if text:
            lines.append(HistoryLine(record.history_date, _who(record), text))
    lines.sort(key=lambda line: line.when, reverse=True)
    return lines


# --- the grid ---------------------------------------------------------------


@dataclass
class GridRow:
    kpi: Kpi
    entry: KpiEntry | None
    locked: bool
    #: Whether the value box shows the entry's value: only when saving it
    #: again changes nothing (a partner's own value waiting for approval).
    #: Otherwise it starts blank (a blank records nothing), so saving other
    #: rows never approves, resubmits or relocks this one unasked.
    prefill: bool = False
    fields: dict = field(default_factory=dict)  # bound fields, set by the view


@dataclass
class GridPage:
    workstream: Workstream
    period: ReportingPeriod | None
    periods: list[ReportingPeriod]
    rows: list[GridRow]
    not_this_period: list[Kpi]
    approving: bool


def _frequencies(kpis: list[Kpi]) -> list[str]:
    found = []
    for kpi in kpis:
        frequency = kpi.indicator.update_frequency
        if frequency in PERIODS_IN_YEAR and frequency not in found:
            found.append(frequency)
    return found


def picker_periods(kpis: list[Kpi], today: dt.date) -> list[ReportingPeriod]:
    """The periods a value may be recorded for, newest first: those of the
    KPIs' frequencies started by today, over the last financial years."""
    first = dt.date(financial_year_start(today) - PICKER_YEARS, 4, 1)
    periods = []
    for frequency in _frequencies(kpis):
        periods += periods_between(frequency, first, today)
    return sorted(periods, key=lambda p: (p.ends_on, p.starts_on), reverse=True)


def default_period(kpis: list[Kpi], today: dt.date) -> ReportingPeriod | None:
    """The open period (the latest ended) of the KPIs' commonest frequency."""
    frequencies = [k.indicator.update_frequency for k in kpis]
    usable = _frequencies(kpis)
    if not usable:
        return None
    commonest = max(usable, key=frequencies.count)
    return open_period(commonest, today)


def recordable_kpis(user, workstream: Workstream, kpis: list[Kpi]) -> list[Kpi]:
    """The chairs and officers record every active KPI; a partner only those
    their organisation reports."""
    if rules.can_manage_kpis(user, workstream.pk):
        return list(kpis)
    return [k for k in kpis if rules.reports_kpi(user, k)]


def grid_page(
    *, user, workstream: Workstream, kpis: list[Kpi], period_label: str | None,
    today: dt.date,
) -> GridPage:  # fmt: skip
    """The rows of the grid for one period: each KPI reported for it (not
    retired before it), with its entry if any. ``kpis``: `recordable_kpis`."""
    periods = picker_periods(kpis, today)
    period = None
    if period_label:
        period = next((p for p in periods if p.label == period_label), None)
    else:
        period = default_period(kpis, today)
    rows, elsewhere = [], []
    for kpi in kpis:
        indicator = kpi.indicator
        fits = period is not None and (
            reporting_period(indicator.update_frequency, period.label) is not None
        )
        retired = indicator.retired_on and (
            period is None or period.starts_on >= indicator.retired_on
        )
        if fits and not retired:
            rows.append(kpi)
        elif not retired:
            elsewhere.append(kpi)
    entries = {}
    if period is not None and rows:
        entries = {
            e.kpi_id: e
            for e in KpiEntry.objects.filter(
                kpi__in=rows, period__label=period.label
            ).select_related("period", "organisation", "entered_by")
        }
    approving = rules.can_manage_kpis(user, workstream.pk)
    grid_rows = []
    for kpi in rows:
        entry = entries.get(kpi.pk)
        status = entry.status if entry is not None else None
        grid_rows.append(
            GridRow(
                kpi,
                entry,
                locked=status == Status.APPROVED,
                prefill=status == Status.SUBMITTED and not approving,
            )
        )
    return GridPage(
        workstream=workstream,
        period=period,
        periods=periods,
        rows=grid_rows,
        not_this_period=elsewhere,
        approving=approving,
    )


# --- targets ----------------------------------------------------------------


def financial_years(today: dt.date) -> list[str]:
    """The years the targets page offers: last year, this year and the next."""
    start = financial_year_start(today)
    return [financial_year_label(y) for y in (start - 1, start, start + 1)]


def year_targets(kpis: list[Kpi], year_label: str) -> dict[int, dict[str, Target]]:
    """Each KPI's targets of the year (by indicator id, then period label)."""
    start = int(year_label[:4])
    labels = {year_label} | {p.label for p in year_periods("quarterly", start)}
    found: dict[int, dict[str, Target]] = {k.indicator_id: {} for k in kpis}
    for target in Target.objects.filter(
        indicator_id__in=[k.indicator_id for k in kpis],
        area_id=_area_id(),
        period__label__in=labels,
    ).select_related("period"):
        found[target.indicator_id][target.period.label] = target
    return found


# --- approvals --------------------------------------------------------------


@dataclass
class ApprovalsPage:
    workstream: Workstream
    waiting: list[KpiEntry]
    returned: list[KpiEntry]
    can_decide: bool


def approvals_page(*, user, workstream: Workstream, today: dt.date) -> ApprovalsPage:
    since = timezone.now() - dt.timedelta(days=90)
    entries = list(
        KpiEntry.objects.filter(kpi__workstream=workstream)
        .filter(
            Q(status=Status.SUBMITTED)
            | Q(status=Status.RETURNED, decided_at__gte=since)
        )
        .select_related(
            "kpi__indicator", "period", "organisation", "entered_by", "decided_by"
        )
        .order_by("kpi__display_order", "period__sort_key")
    )
    return ApprovalsPage(
        workstream=workstream,
        waiting=[e for e in entries if e.status == Status.SUBMITTED],
        returned=[e for e in entries if e.status == Status.RETURNED],
        can_decide=rules.can_manage_kpis(user, workstream.pk),
    )


def kpi_form_choices(workstream: Workstream) -> dict:
    """Querysets for the KPI form: the workstream's logic-model outputs and
    activities (current model first), and the organisations."""
    items = LogicModelItem.objects.filter(
        logic_model__workstream=workstream
    ).select_related("logic_model")
    order = ("logic_model__status", "-logic_model__version", "position", "id")
    return {
        "output": items.filter(kind=LogicModelItem.Kind.OUTPUT).order_by(*order),
        "activities": items.filter(kind=LogicModelItem.Kind.ACTIVITY).order_by(*order),
        "reporting_organisation": Organisation.objects.order_by("name"),
    }
