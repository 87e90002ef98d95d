"""Models of the workstreams app, split by topic; import them from here."""

from workstreams.models.achievements import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    SystemProgramme,
)
from workstreams.models.consultation import WorkplanComment
from workstreams.models.evidence import EvidenceFile
from workstreams.models.invitations import Invitation
from workstreams.models.kpis import Kpi, KpiEntry
from workstreams.models.logic_models import LogicModel, LogicModelItem
from workstreams.models.milestones import Milestone
from workstreams.models.programme import (
    Organisation,
    OrganisationMembership,
    Recommendation,
    Workstream,
)
from workstreams.models.reminders import ReminderSent
from workstreams.models.submissions import Submission, SubmissionMessage
from workstreams.models.workplans import (
    Action,
    ProgressUpdate,
    Workplan,
    WorkplanPriority,
)

__all__ = [
    "Action",
    "EvaluationFinding",
    "EvidenceFile",
    "Invitation",
    "Kpi",
    "KpiEntry",
    "LogicModel",
    "LogicModelItem",
    "Milestone",
    "Organisation",
    "ProgrammeAction",
    "ProgrammeMilestone",
    "OrganisationMembership",
    "ProgressUpdate",
    "Recommendation",
    "ReminderSent",
    "Submission",
    "SystemProgramme",
    "SubmissionMessage",
    "Workplan",
    "WorkplanComment",
    "WorkplanPriority",
    "Workstream",
]
