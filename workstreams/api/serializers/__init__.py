"""Serializers for the workstreams API: they shape data; services write it.

Split by topic; import them from here.
"""

from workstreams.api.serializers.common import WORKSTREAM_SLUG
from workstreams.api.serializers.logic_models import (
    ActionStatusSerializer,
    IndicatorLatestSerializer,
    LogicModelItemSerializer,
    LogicModelSerializer,
)
from workstreams.api.serializers.programme import (
    ActionCountsSerializer,
    LogicModelSummarySerializer,
    OrganisationSerializer,
    PrincipleSerializer,
    RecommendationSerializer,
    UserSummarySerializer,
    WorkstreamSerializer,
    WorkstreamWriteSerializer,
)
from workstreams.api.serializers.submissions import (
    SubmissionAcceptSerializer,
    SubmissionMessageSerializer,
    SubmissionReasonSerializer,
    SubmissionSerializer,
)
from workstreams.api.serializers.workplans import (
    ActionSerializer,
    PriorityReorderSerializer,
    PrioritySerializer,
    ProgressUpdateSerializer,
    WorkplanPrioritySerializer,
    WorkplanSerializer,
    WorkplanStatusSerializer,
)

__all__ = [
    "WORKSTREAM_SLUG",
    "ActionCountsSerializer",
    "ActionSerializer",
    "ActionStatusSerializer",
    "IndicatorLatestSerializer",
    "LogicModelItemSerializer",
    "LogicModelSerializer",
    "LogicModelSummarySerializer",
    "OrganisationSerializer",
    "PrincipleSerializer",
    "PriorityReorderSerializer",
    "PrioritySerializer",
    "ProgressUpdateSerializer",
    "RecommendationSerializer",
    "SubmissionAcceptSerializer",
    "SubmissionMessageSerializer",
    "SubmissionReasonSerializer",
    "SubmissionSerializer",
    "UserSummarySerializer",
    "WorkplanPrioritySerializer",
    "WorkplanSerializer",
    "WorkplanStatusSerializer",
    "WorkstreamSerializer",
    "WorkstreamWriteSerializer",
]
