"""Models of the workstreams app, split by topic; import them from here."""

from workstreams.models.consultation import WorkplanComment
from workstreams.models.invitations import Invitation
from workstreams.models.kpis import Kpi, KpiEntry
from workstreams.models.logic_models import LogicModel, LogicModelItem
from workstreams.models.programme import (
    Organisation,
    OrganisationMembership,
    Recommendation,
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
    "Kpi",
    "KpiEntry",
    "LogicModel",
    "LogicModelItem",
    "Organisation",
    "OrganisationMembership",
    "ProgressUpdate",
    "Recommendation",
    "ReminderSent",
    "Submission",
    "Workplan",
    "WorkplanComment",
    "WorkplanPriority",
    "Workstream",
]
