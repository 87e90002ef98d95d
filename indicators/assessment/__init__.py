"""Assessments and trends of indicator values: computed, published and manual.

Public API (services, ADR 5):

* :func:`assessments_recompute` - recompute every computed assessment and trend;
* :func:`indicator_values_changed` - the entry point importers call after writing
  values;
* :func:`assessment_set_manual`, :func:`trend_set_manual` - judgements set by
  hand, with a reason and a user.

The rules for series, benchmark matching and consecutive periods are in
:mod:`indicators.assessment.series`; which row is shown is decided in
:mod:`indicators.selectors`.
"""

from indicators.assessment.manual import assessment_set_manual, trend_set_manual
from indicators.assessment.recompute import (
    RecomputeSummary,
    WriteCounts,
    assessments_recompute,
    indicator_values_changed,
)

__all__ = [
    "RecomputeSummary",
    "WriteCounts",
    "assessment_set_manual",
    "assessments_recompute",
    "indicator_values_changed",
    "trend_set_manual",
]
