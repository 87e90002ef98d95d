"""Models of the workstreams app, split by topic; import them from here."""

from workstreams.models.consultation import WorkplanComment
from workstreams.models.invitations import Invitation
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
from workstreams.models.reminders import ReminderSent
from workstreams.models.submissions import Submission
from workstreams.models.workplans import (
    Action,
    ProgressUpdate,
    Workplan,
    WorkplanPriority,
)

__all__ = [
    "Action",
    "Invitation",
    "LogicModel",
    "LogicModelItem",
    "MarmotPrinciple",
    "Organisation",
    "OrganisationMembership",
    "Place",
    "ProgressUpdate",
    "Recommendation",
    "ReminderSent",
    "Submission",
    "TimeStampedModel",
    "Workplan",
    "WorkplanComment",
    "WorkplanPriority",
    "Workstream",
]
