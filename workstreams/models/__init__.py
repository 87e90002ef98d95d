"""Models of the workstreams app, split by topic; import them from here."""

from workstreams.models.logic_models import LogicModel, LogicModelItem
from workstreams.models.programme import (
    MarmotPrinciple,
    Organisation,
    OrganisationMembership,
    Place,
    Recommendation,
    TimeStampedModel,
    Workstream,
)
from workstreams.models.submissions import Submission
from workstreams.models.workplans import (
    Action,
    ProgressUpdate,
    Workplan,
    WorkplanPriority,
)

__all__ = [
    "Action",
    "LogicModel",
    "LogicModelItem",
    "MarmotPrinciple",
    "Organisation",
    "OrganisationMembership",
    "Place",
    "ProgressUpdate",
    "Recommendation",
    "Submission",
    "TimeStampedModel",
    "Workplan",
    "WorkplanPriority",
    "Workstream",
]
