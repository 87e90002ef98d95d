"""Writes for the workstreams app: the programme, its work and its progress.

Every write goes through these services (ADR 0005) so the admin, the site, the API
and the loaders share one set of rules. Upserts save only when something changed,
so repeating a load adds no rows and no history. Import them from here.
"""

from workstreams.services.common import m2m_set, record_upsert, row_version_bump
from workstreams.services.logic_models import LogicModelItemData, logic_model_upsert
from workstreams.services.programme import (
    organisation_upsert,
    place_upsert,
    principle_upsert,
    recommendation_upsert,
    workstream_upsert,
)
from workstreams.services.workplans import (
    ACTION_UPDATE_FIELDS,
    action_update,
    action_upsert,
    progress_update_create,
    workplan_priority_upsert,
    workplan_upsert,
)

__all__ = [
    "ACTION_UPDATE_FIELDS",
    "LogicModelItemData",
    "action_update",
    "action_upsert",
    "logic_model_upsert",
    "m2m_set",
    "organisation_upsert",
    "place_upsert",
    "principle_upsert",
    "progress_update_create",
    "record_upsert",
    "recommendation_upsert",
    "row_version_bump",
    "workplan_priority_upsert",
    "workplan_upsert",
    "workstream_upsert",
]
