"""Assessments and trends set by hand, with a reason and the officer who set them."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Assessment, IndicatorValue, Method, Place, Trend
from marmot.services import row_version_bump

REASON_REQUIRED = "Give a reason for setting this by hand."
USER_REQUIRED = "Say who is setting this by hand."


def _check(reason: str, user: AbstractBaseUser | None) -> str:
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = REASON_REQUIRED
    if user is None or not getattr(user, "is_authenticated", False):
        errors["set_by"] = USER_REQUIRED
    if errors:
        raise ValidationError(errors)
    return reason


def _benchmark_area_id(benchmark: str) -> int | None:
    place = Place.objects.first()
    if place is None:
        return None
    return {
        Assessment.Benchmark.NATIONAL: place.country_id,
        Assessment.Benchmark.REGION: place.region_id,
        Assessment.Benchmark.NEAREST_NEIGHBOURS: place.nearest_neighbours_id,
    }.get(benchmark)


@transaction.atomic
def assessment_set_manual(
    *,
    value: IndicatorValue,
    benchmark: str,
    result: str,
    reason: str,
    user: AbstractBaseUser,
) -> Assessment:
    """Set (or replace) the manual assessment of ``value`` against ``benchmark``.

    ADR 4: a manual assessment records why and who; it takes precedence over
    computed and published ones when shown (see
    :func:`indicators.selectors.assessment_effective`) and recomputation never
    changes it. A blank reason or no user raises ``ValidationError``.
    """
    reason = _check(reason, user)
    assessment = (
        Assessment.objects.select_for_update()
        .filter(value=value, benchmark=benchmark, method=Method.MANUAL)
        .order_by("pk")  # the default ordering joins other tables
        .first()
    ) or Assessment(value=value, benchmark=benchmark, method=Method.MANUAL)
    assessment.benchmark_area_id = _benchmark_area_id(benchmark)
    assessment.result = result
    assessment.level = None
    assessment.reason = reason
    assessment.explanation = f"Set by hand: {reason}"
    assessment.set_by = user
    assessment._history_user = user
    assessment.full_clean()
    assessment.save()
    row_version_bump(instance=value)  # the value's answer changed (ADR 40)
    return assessment


@transaction.atomic
def trend_set_manual(
    *, value: IndicatorValue, label: str, reason: str, user: AbstractBaseUser
) -> Trend:
    """Set (or replace) the manual trend on ``value`` (normally a series' latest).

    As :func:`assessment_set_manual`: reason and user required, shown before
    computed and published trends, never changed by recomputation.
    """
    reason = _check(reason, user)
    trend = (
        Trend.objects.select_for_update()
        .filter(value=value, method=Method.MANUAL)
        .order_by("pk")
        .first()
    ) or Trend(value=value, method=Method.MANUAL)
    trend.label = label
    trend.reason = reason
    trend.explanation = f"Set by hand: {reason}"
    trend.set_by = user
    trend._history_user = user
    trend.full_clean()
    trend.save()
    row_version_bump(instance=value)  # the value's answer changed (ADR 40)
    return trend
