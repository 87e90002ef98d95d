"""Serializers for output KPIs, their targets and the values recorded for
them (ADR 32). They shape data; `workstreams.services.kpis` writes it and
`indicators.output_progress` says where each KPI stands."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator
from indicators.output_progress import OutputProgress, output_progress
from indicators.selectors import place_get
from marmot.api.fields import SlugRelatedField
from workstreams.api.serializers.common import WORKSTREAM_SLUG, PersonField
from workstreams.models import Kpi, KpiEntry, LogicModelItem, Organisation

#: The most entries one bulk request may carry.
BULK_LIMIT = 500


# --- progress (read-only, from indicators.output_progress) --------------------


class KpiJudgementSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="on_target, within_tolerance or off_target.")
    words = serializers.CharField(help_text='"On target", "Within tolerance", …')
    shape = serializers.CharField(
        help_text="green, amber or red: the shape shown beside the words."
    )
    target = serializers.FloatField(help_text="The target it was judged against.")


class KpiLatestValueSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.FloatField()


class KpiPeriodProgressSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(
        allow_null=True,
        help_text="The period's own target, or its share of the annual one.",
    )
    judgement = KpiJudgementSerializer(allow_null=True)
    overdue = serializers.BooleanField()


class KpiProgressSerializer(serializers.Serializer):
    year = serializers.CharField(help_text="The financial year shown, e.g. 2026/27.")
    year_to_date = serializers.FloatField(
        allow_null=True,
        help_text="The year's periods summed, or its latest period (`year_to_date`).",
    )
    through = serializers.CharField(
        allow_null=True, help_text="The last period of the year with a value."
    )
    annual_target = serializers.FloatField(allow_null=True)
    year_to_date_target = serializers.FloatField(
        allow_null=True, help_text="The annual target pro rata to `through`."
    )
    judgement = KpiJudgementSerializer(
        allow_null=True, help_text="The year to date against its pro-rata target."
    )
    latest = KpiLatestValueSerializer(
        allow_null=True, help_text="The latest value of any year."
    )
    latest_judgement = KpiJudgementSerializer(
        allow_null=True,
        help_text="The last period of the year shown with a value, against its target.",
    )
    periods = KpiPeriodProgressSerializer(many=True)
    overdue = serializers.ListField(
        child=serializers.CharField(),
        help_text="Periods ended more than KPI_DUE_DAYS ago with no value, oldest "
        "first.",
    )


def _judgement(judgement) -> dict | None:
    if judgement is None:
        return None
    return {
        "code": str(judgement.status),
        "words": judgement.words,
        "shape": judgement.shape,
        "target": judgement.target,
    }


def progress_data(progress: OutputProgress) -> dict:
    latest = progress.latest
    return {
        "year": progress.year_label,
        "year_to_date": progress.year_to_date,
        "through": progress.through,
        "annual_target": (
            progress.annual_target.value if progress.annual_target else None
        ),
        "year_to_date_target": progress.year_to_date_target,
        "judgement": _judgement(progress.year_to_date_judgement),
        "latest": (
            {"period": latest.period.label, "value": latest.value} if latest else None
        ),
        "latest_judgement": _judgement(progress.latest_judgement),
        "periods": [
            {
                "period": figure.period.label,
                "value": figure.value.value if figure.value else None,
                "target": figure.target,
                "judgement": _judgement(figure.judgement),
                "overdue": figure.overdue,
            }
            for figure in progress.periods
        ],
        "overdue": list(progress.overdue),
    }


# --- KPIs ---------------------------------------------------------------------


def _choice(name, choices, help_text=""):
    return serializers.ChoiceField(
        source=f"indicator.{name}", choices=choices, required=False, help_text=help_text
    )


class KpiSerializer(serializers.Serializer):
    """A KPI: its measure (an indicator of kind "Output KPI"), its links in
    the workstream and, read-only, where it stands (``progress``)."""

    id = serializers.IntegerField(read_only=True)
    workstream = SlugRelatedField(
        **WORKSTREAM_SLUG, help_text="Set when the KPI is added; it cannot move."
    )
    code = serializers.CharField(
        source="indicator.code",
        read_only=True,
        help_text="The measure's code in /api/v1/indicators/ and the dashboard.",
    )
    name = serializers.CharField(source="indicator.name", max_length=300)
    definition = serializers.CharField(
        source="indicator.definition", required=False, allow_blank=True
    )
    unit = serializers.CharField(
        source="indicator.unit", required=False, allow_blank=True, max_length=40
    )
    value_type = _choice(
        "value_type",
        Indicator.ValueType.choices,
        "Default count: whole numbers, not negative.",
    )
    polarity = _choice("polarity", Indicator.Polarity.choices, "Default high_is_good.")
    update_frequency = _choice(
        "update_frequency", Indicator.Frequency.choices, "Default quarterly."
    )
    year_to_date = _choice(
        "year_to_date",
        Indicator.YearToDate.choices,
        "sum: the year's periods added up; latest: its latest period. Default: "
        "sum for a count, latest otherwise.",
    )
    values_expected_from = serializers.DateField(
        source="indicator.values_expected_from",
        required=False,
        allow_null=True,
        help_text="Values are due for every period starting on or after this date.",
    )
    source = serializers.CharField(
        source="indicator.source", required=False, allow_blank=True, max_length=300
    )
    display_decimals = serializers.IntegerField(
        source="indicator.display_decimals", required=False, min_value=0, max_value=6
    )
    retired_on = serializers.DateField(
        source="indicator.retired_on",
        read_only=True,
        allow_null=True,
        help_text="No longer recorded from this date (POST …/retire/).",
    )
    retired_reason = serializers.CharField(read_only=True)
    output = serializers.PrimaryKeyRelatedField(
        queryset=LogicModelItem.objects.filter(kind=LogicModelItem.Kind.OUTPUT),
        required=False,
        allow_null=True,
        help_text="The logic-model output of the workstream this KPI counts.",
    )
    activities = serializers.PrimaryKeyRelatedField(
        queryset=LogicModelItem.objects.filter(kind=LogicModelItem.Kind.ACTIVITY),
        many=True,
        required=False,
        help_text="The workstream's logic-model activities whose results it counts.",
    )
    reporting_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="The partner whose partners record its values (they wait for "
        "the chair's approval); null: the chairs record them.",
    )
    display_order = serializers.IntegerField(
        required=False, min_value=0, max_value=32767
    )
    row_version = serializers.IntegerField(read_only=True)
    progress = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(KpiProgressSerializer)
    def get_progress(self, kpi) -> dict:
        known = self.context.get("progress") or {}
        progress = known.get(kpi.indicator_id)
        if progress is None:
            place = self.context["place"] if "place" in self.context else place_get()
            progress = output_progress(
                [kpi.indicator],
                area_id=place.area_id if place else None,
                year_label=self.context.get("year"),
            )[kpi.indicator_id]
        return progress_data(progress)

    def service_kwargs(self) -> dict:
        """The validated fields, flat, as the services take them."""
        data = dict(self.validated_data)
        data.update(data.pop("indicator", {}))
        return data


class KpiRetireSerializer(serializers.Serializer):
    retired_on = serializers.DateField(
        help_text="No values are taken for periods starting on or after it."
    )
    reason = serializers.CharField(help_text="Why the KPI is no longer recorded.")


class QuarterTargetsSerializer(serializers.Serializer):
    q1 = serializers.FloatField(required=False, allow_null=True)
    q2 = serializers.FloatField(required=False, allow_null=True)
    q3 = serializers.FloatField(required=False, allow_null=True)
    q4 = serializers.FloatField(required=False, allow_null=True)


class KpiTargetSetSerializer(serializers.Serializer):
    year = serializers.CharField(
        max_length=7, help_text="A financial year such as 2026/27."
    )
    value = serializers.FloatField(
        allow_null=True, help_text="The annual target; null removes it."
    )
    tolerance = serializers.FloatField(
        required=False,
        default=0,
        min_value=0,
        help_text="How far off target still counts as within tolerance.",
    )
    tolerance_is_percent = serializers.BooleanField(
        required=False, default=True, help_text="The tolerance is a % of the target."
    )
    quarters = QuarterTargetsSerializer(
        required=False,
        allow_null=True,
        help_text="A quarterly KPI's quarter targets (a quarter left out or null: "
        "none). Leave it out to keep the quarters' targets as they are.",
    )

    def quarters_mapping(self) -> dict[int, float | None] | None:
        quarters = self.validated_data.get("quarters")
        if quarters is None:
            return None
        return {n: quarters.get(f"q{n}") for n in range(1, 5)}


class TargetSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    value = serializers.FloatField()
    tolerance = serializers.FloatField(source="amber_tolerance")
    tolerance_is_percent = serializers.BooleanField()


class KpiTargetsSerializer(serializers.Serializer):
    kpi = serializers.IntegerField()
    year = serializers.CharField()
    targets = TargetSerializer(many=True)


# --- entries --------------------------------------------------------------------


class KpiEntrySerializer(serializers.ModelSerializer):
    """One period's value of a KPI as recorded and decided."""

    kpi = serializers.PrimaryKeyRelatedField(queryset=Kpi.objects.all())
    workstream = serializers.CharField(source="kpi.workstream.slug", read_only=True)
    period = serializers.CharField(
        source="period.label",
        max_length=20,
        help_text="The KPI's reporting period: 2026/27 (annual), 2026/27 Q2 "
        "(quarterly) or 2026/27 M04 as the KPI's frequency says; not one that "
        "has not started.",
    )
    value = serializers.FloatField(
        help_text="A count is whole and not negative; a cumulative KPI takes the "
        "period's own figure."
    )
    note = serializers.CharField(required=False, allow_blank=True)
    evidence_url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="A link to the evidence, http:// or https://.",
    )
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why an approved value an officer reopened is corrected.",
    )
    entered_by = PersonField()
    decided_by = PersonField()

    class Meta:
        model = KpiEntry
        fields = [
            "id",
            "kpi",
            "workstream",
            "period",
            "value",
            "note",
            "evidence_url",
            "reason",
            "status",
            "organisation",
            "entered_by",
            "decided_by",
            "decided_at",
            "return_reason",
            "correction_reason",
            "reopen_reason",
            "row_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "organisation",
            "decided_at",
            "return_reason",
            "correction_reason",
            "reopen_reason",
            "row_version",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs):
        attrs = dict(attrs)
        period = attrs.pop("period", None)
        if period is not None:
            attrs["period"] = " ".join(period["label"].split())
        entry = self.instance
        if entry is not None:
            errors = {}
            if "kpi" in attrs and attrs["kpi"].pk != entry.kpi_id:
                errors["kpi"] = "An entry's KPI cannot be changed."
            if "period" in attrs and attrs["period"] != entry.period.label:
                errors["period"] = (
                    "An entry's period cannot be changed: record the other "
                    "period's value (POST)."
                )
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class KpiEntryReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown with the value and kept.")


class KpiEntryItemSerializer(serializers.Serializer):
    """One value of a bulk request."""

    kpi = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    period = serializers.CharField(max_length=20)
    value = serializers.FloatField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    row_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The entry's ETag when correcting one you read: a stale one "
        "refuses the whole request.",
    )


class KpiEntryBulkSerializer(serializers.Serializer):
    entries = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        max_length=BULK_LIMIT,
        help_text=f"At most {BULK_LIMIT} values, each a KpiEntryItem.",
        error_messages={
            "max_length": f"Send at most {BULK_LIMIT} entries in one request; "
            "split the rest into further requests."
        },
    )


class KpiEntryBulkResultSerializer(serializers.Serializer):
    entries = KpiEntrySerializer(many=True)


class KpiEntryBulkRequestSerializer(serializers.Serializer):
    """The documented shape of a bulk request (items checked one by one)."""

    entries = KpiEntryItemSerializer(many=True, max_length=BULK_LIMIT)
