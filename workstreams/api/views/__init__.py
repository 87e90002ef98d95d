"""Viewsets for the workstreams API, split by topic; import them from here.

Reads come from `workstreams.selectors`, writes go through
`workstreams.services`, permissions ask `workstreams.rules`.
"""

from workstreams.api.views.actions import ActionViewSet, ProgressUpdateViewSet
from workstreams.api.views.kpis import KpiEntryViewSet, KpiViewSet
from workstreams.api.views.logic_models import LogicModelViewSet
from workstreams.api.views.programme import (
    OrganisationViewSet,
    PrincipleViewSet,
    RecommendationViewSet,
    WorkstreamViewSet,
)
from workstreams.api.views.submissions import SubmissionViewSet
from workstreams.api.views.workplans import PriorityViewSet, WorkplanViewSet

__all__ = [
    "ActionViewSet",
    "KpiEntryViewSet",
    "KpiViewSet",
    "LogicModelViewSet",
    "OrganisationViewSet",
    "PrincipleViewSet",
    "PriorityViewSet",
    "ProgressUpdateViewSet",
    "RecommendationViewSet",
    "SubmissionViewSet",
    "WorkplanViewSet",
    "WorkstreamViewSet",
]
