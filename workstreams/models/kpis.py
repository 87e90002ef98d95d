"""Output KPIs: a workstream's own measures of what it delivers, and the
values recorded for them period by period (ADR 32).

What is measured (name, unit, frequency, polarity, how the year to date is
found) is an `indicators.Indicator` of kind "Output KPI", so the dashboard,
charts, targets and API treat it as any other measure. Its approved values are
that indicator's `IndicatorValue`s for the place's area. What only a
programme knows lives here: which workstream owns the KPI, the logic-model
output and activities it counts, the organisation that reports it, and each
period's entry on its way from a partner through the chair's approval.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indicators.models import Indicator, Period
from marmot.models import TimeStampedModel
from workstreams.models.logic_models import LogicModelItem
from workstreams.models.programme import Organisation, Workstream


class Kpi(TimeStampedModel):
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, related_name="kpis"
    )
    indicator = models.OneToOneField(
        Indicator,
        on_delete=models.PROTECT,
        related_name="kpi",
        limit_choices_to={"kind": Indicator.Kind.LOCAL_OUTPUT},
    )
    output = models.ForeignKey(
        LogicModelItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        limit_choices_to={"kind": LogicModelItem.Kind.OUTPUT},
        help_text="The logic-model output this KPI counts.",
    )
    activities = models.ManyToManyField(
        LogicModelItem,
        blank=True,
        related_name="counted_by_kpis",
        limit_choices_to={"kind": LogicModelItem.Kind.ACTIVITY},
        help_text="The logic-model activities whose results it counts.",
    )
    reporting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        help_text="The partner that reports the values (empty: the chair does).",
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    retired_reason = models.TextField("why it was retired", blank=True)
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        verbose_name = "output KPI"
        verbose_name_plural = "output KPIs"
        ordering = ["workstream__display_order", "display_order", "indicator__name"]

    def __str__(self) -> str:
        return self.indicator.name

    @property
    def is_retired(self) -> bool:
        return self.indicator.retired_on is not None


class KpiEntry(TimeStampedModel):
    """One period's value of a KPI, as recorded and decided.

    A chair's (or officer's) entry is approved as it is recorded; a partner's
    waits for the chair: submitted → approved, or returned with a reason and
    then corrected and submitted again. An approved entry is locked; an officer
    reopens it with a reason, and then a correction must say why."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned to the partner"
        APPROVED = "approved", "Approved"
        REOPENED = "reopened", "Reopened for correction"

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="entries")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField()
    note = models.TextField(blank=True)
    evidence_url = models.URLField(
        "link to evidence", blank=True, max_length=500, help_text="http or https only."
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpi_entries",
        help_text="The partner that submitted it (empty: recorded by the chair).",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    correction_reason = models.TextField(
        blank=True, help_text="Why an approved value was changed (the latest reason)."
    )
    reopen_reason = models.TextField(
        blank=True, help_text="Why an officer reopened the approved value."
    )
    row_version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every change (ETag)."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "KPI entry"
        verbose_name_plural = "KPI entries"
        ordering = ["kpi", "period__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period"], name="kpi_entry_one_per_period"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="kpi_entry_returned_needs_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="reopened") | ~Q(reopen_reason=""),
                name="kpi_entry_reopened_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} — {self.period}: {self.value:g}"
