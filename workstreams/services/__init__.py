"""Writes for the workstreams app: the programme, its work and its progress.

Every write goes through these services (ADR 0005) so the admin, the site, the API
and the loaders share one set of rules. Upserts save only when something changed,
so repeating a load adds no rows and no history; deletes refuse to lose data
(``row_delete``). Import them from here.
"""

from workstreams.services.actions import (
    ACTION_UPDATE_FIELDS,
    action_archive,
    action_create,
    action_delete,
    action_update,
    action_upsert,
    progress_update_create,
)
from workstreams.services.carry_forward import workplan_carry_forward
from workstreams.services.consultation import workplan_comment_create
from workstreams.services.invitations import (
    InvitationNotUsable,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_withdraw,
)
from workstreams.services.logic_models import (
    LogicModelItemData,
    logic_model_delete,
    logic_model_upsert,
)
from workstreams.services.on_track import (
    workstream_on_track_clear,
    workstream_on_track_set,
)
from workstreams.services.programme import (
    organisation_delete,
    organisation_update,
    organisation_upsert,
    place_upsert,
    principle_delete,
    principle_update,
    principle_upsert,
    recommendation_delete,
    recommendation_update,
    recommendation_upsert,
    workstream_update,
    workstream_upsert,
)
from workstreams.services.submissions import (
    SUBMISSION_UPDATE_FIELDS,
    submission_accept,
    submission_accept_check,
    submission_check,
    submission_create,
    submission_message_post,
    submission_outside_plan,
    submission_reject,
    submission_request_info,
    submission_update,
    submission_workplan,
)
from workstreams.services.workplan_status import (
    WORKPLAN_TRANSITIONS,
    workplan_status_change,
)
from workstreams.services.workplans import (
    PRIORITY_UPDATE_FIELDS,
    WORKPLAN_UPDATE_FIELDS,
    workplan_actions_prioritise,
    workplan_create,
    workplan_delete,
    workplan_priorities_reorder,
    workplan_priority_create,
    workplan_priority_delete,
    workplan_priority_update,
    workplan_priority_upsert,
    workplan_update,
    workplan_upsert,
)

__all__ = [
    "ACTION_UPDATE_FIELDS",
    "InvitationNotUsable",
    "LogicModelItemData",
    "PRIORITY_UPDATE_FIELDS",
    "SUBMISSION_UPDATE_FIELDS",
    "WORKPLAN_TRANSITIONS",
    "WORKPLAN_UPDATE_FIELDS",
    "action_archive",
    "action_create",
    "action_delete",
    "action_update",
    "action_upsert",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_withdraw",
    "logic_model_delete",
    "logic_model_upsert",
    "organisation_delete",
    "organisation_update",
    "organisation_upsert",
    "place_upsert",
    "principle_delete",
    "principle_update",
    "principle_upsert",
    "progress_update_create",
    "recommendation_delete",
    "recommendation_update",
    "recommendation_upsert",
    "submission_accept",
    "submission_accept_check",
    "submission_check",
    "submission_create",
    "submission_message_post",
    "submission_outside_plan",
    "submission_reject",
    "submission_request_info",
    "submission_update",
    "submission_workplan",
    "workplan_comment_create",
    "workplan_actions_prioritise",
    "workplan_carry_forward",
    "workplan_create",
    "workplan_delete",
    "workplan_priorities_reorder",
    "workplan_priority_create",
    "workplan_priority_delete",
    "workplan_priority_update",
    "workplan_priority_upsert",
    "workplan_status_change",
    "workplan_update",
    "workplan_upsert",
    "workstream_on_track_clear",
    "workstream_on_track_set",
    "workstream_update",
    "workstream_upsert",
]
