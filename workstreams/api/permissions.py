"""DRF permissions for the workstreams API: each one asks `workstreams.rules`.

Reads are scoped by the views' querysets (``rules.visible_*``), so a row a role
may not see is a 404; here we decide writes. A method a view does not offer is
let through so that everyone gets the same 405. DELETE is its own decision:
officers only (``can_delete_records``) unless a class says otherwise.
"""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from marmot.principals import can_delete_records, principal_for
from workstreams import rules


def _offered(request, view) -> bool:
    return hasattr(view, request.method.lower())


class RulesPermission(BasePermission):
    """Reads for everyone; writes as ``can_write`` / ``can_write_object`` say."""

    read_needs_login = False

    def has_permission(self, request, view) -> bool:
        if not _offered(request, view):
            return True
        if request.method in SAFE_METHODS:
            return request.user.is_authenticated or not self.read_needs_login
        if not request.user.is_authenticated:
            return False
        if request.method == "DELETE":
            return self.can_delete(request.user)
        return self.can_write(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return self.can_delete_object(request.user, obj)
        return self.can_write_object(request.user, obj)

    def can_write(self, user) -> bool:
        return False

    def can_write_object(self, user, obj) -> bool:
        return False

    def can_delete(self, user) -> bool:
        return can_delete_records(user)

    def can_delete_object(self, user, obj) -> bool:
        return can_delete_records(user)


def _writes_some_workstream(user) -> bool:
    principal = principal_for(user)
    return principal.officer or bool(principal.chaired_workstream_ids)


class ProgrammePermission(RulesPermission):
    """Principles, organisations, workstreams, recommendations: officers write
    (and delete, where a view offers it)."""

    def can_write(self, user) -> bool:
        return rules.can_edit_programme(user)

    def can_write_object(self, user, obj) -> bool:
        return rules.can_edit_programme(user)


class WorkstreamWorkPermission(RulesPermission):
    """Workplans and logic models: the workstream's chairs and officers write;
    officers delete."""

    def can_write(self, user) -> bool:
        return _writes_some_workstream(user)

    def can_write_object(self, user, obj) -> bool:
        return rules.can_edit_workstream(user, obj.workstream_id)


class ActionPermission(WorkstreamWorkPermission):
    """Actions: the workstream's chairs and officers, deletes included."""

    def can_write_object(self, user, obj) -> bool:
        return rules.can_edit_action(user, obj)

    def can_delete(self, user) -> bool:
        return self.can_write(user)

    def can_delete_object(self, user, obj) -> bool:
        return rules.can_edit_action(user, obj)


class MilestonePermission(WorkstreamWorkPermission):
    """An action's milestones: those who may edit the action, removals too."""

    def can_write_object(self, user, obj) -> bool:
        return rules.can_edit_action(user, obj.action)

    def can_delete(self, user) -> bool:
        return self.can_write(user)

    def can_delete_object(self, user, obj) -> bool:
        return self.can_write_object(user, obj)


class PriorityPermission(WorkstreamWorkPermission):
    """A workplan's priorities: its workstream's chairs and officers, deletes
    included (the service refuses one that actions still use)."""

    def can_write_object(self, user, obj) -> bool:
        return rules.can_edit_workstream(user, obj.workplan.workstream_id)

    def can_delete(self, user) -> bool:
        return self.can_write(user)

    def can_delete_object(self, user, obj) -> bool:
        return self.can_write_object(user, obj)


class ProgressUpdatePermission(RulesPermission):
    """Chairs, officers, and partners (for actions their organisation leads)."""

    def can_write(self, user) -> bool:
        return _writes_some_workstream(user) or principal_for(user).is_partner


class SubmissionPermission(RulesPermission):
    """Partners' and officers' submissions; the workstream's chairs decide."""

    read_needs_login = True

    def can_write(self, user) -> bool:
        return rules.can_create_submission(user) or _writes_some_workstream(user)

    def can_write_object(self, user, obj) -> bool:
        return rules.can_decide_submission(user, obj)


# Checks that need the object a new row will hang from (known after parsing).


def check_can_edit_workstream(user, workstream_id: int) -> None:
    if not rules.can_edit_workstream(user, workstream_id):
        raise PermissionDenied("You cannot change this workstream's work.")


def check_can_edit_action(user, action) -> None:
    if not rules.can_edit_action(user, action):
        raise PermissionDenied("You cannot change this action.")


def check_can_add_progress_update(user, action) -> None:
    if not rules.can_add_progress_update(user, action):
        raise PermissionDenied("You cannot add progress to this action.")


def check_can_create_submission(user) -> None:
    if not rules.can_create_submission(user):
        raise PermissionDenied("Only partners and officers make submissions.")
