"""Who a user is to the rules: their `Principal`, computed once per user object.

Every permission rule (`workstreams.rules`, `indicators.rules`) answers from a
`Principal`, so a list page asks the database about its visitor once, not per
row. The core knows the roles (`marmot.roles`); what a user chairs and which
organisation they belong to is the programme's business, so the app that holds
workstreams and organisations registers a *scope resolver* when it starts
(`scope_resolver_register`, called from `WorkstreamsConfig.ready`). Without
one, nobody chairs anything and nobody is a partner: the core still works on
its own, it just knows no programme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from marmot import roles

PRINCIPAL_CACHE = "_marmot_principal"


@dataclass(frozen=True)
class Principal:
    authenticated: bool = False
    officer: bool = False
    oversight: bool = False
    chaired_workstream_ids: frozenset[int] = frozenset()
    organisation_id: int | None = None

    @property
    def reads_everything(self) -> bool:
        return self.officer or self.oversight

    @property
    def is_partner(self) -> bool:
        return self.organisation_id is not None


ANONYMOUS = Principal()


@dataclass(frozen=True)
class Scope:
    """What a signed-in user answers for in the programme."""

    chaired_workstream_ids: frozenset[int] = frozenset()
    organisation_id: int | None = None


ScopeResolver = Callable[[object], Scope]
_scope_resolver: ScopeResolver | None = None


def scope_resolver_register(resolver: ScopeResolver) -> None:
    """Name the function that gives a user's `Scope` (one per deployment)."""
    global _scope_resolver
    _scope_resolver = resolver


def principal_for(user) -> Principal:
    """The user's roles, computed once (three queries) and cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, PRINCIPAL_CACHE, None)
    if cached is not None:
        return cached
    group_names = set(user.groups.values_list("name", flat=True))
    scope = _scope_resolver(user) if _scope_resolver is not None else Scope()
    principal = Principal(
        authenticated=True,
        officer=user.is_superuser or roles.OFFICER in group_names,
        oversight=roles.OVERSIGHT_MEMBER in group_names,
        chaired_workstream_ids=scope.chaired_workstream_ids,
        organisation_id=scope.organisation_id if roles.PARTNER in group_names else None,
    )
    setattr(user, PRINCIPAL_CACHE, principal)
    return principal


def principal_cache_key(user) -> str:
    """Text equal for exactly the users whose roles are equal (every field of
    their `Principal`): a page that depends on its visitor only through the
    rules may be cached under it and served to all of them."""
    p = principal_for(user)
    parts = []
    for f in fields(p):
        value = getattr(p, f.name)
        parts.append(
            f"{f.name}={sorted(value) if isinstance(value, frozenset) else value}"
        )
    return ";".join(parts)


# --- rules that hold across the site -----------------------------------------


def can_delete_records(user) -> bool:
    """Delete principles, organisations, workplans, logic models,
    recommendations, indicators and values: officers only. (A chair deletes
    their own workstream's actions and priorities: see
    ``workstreams.rules.can_edit_action`` and ``can_edit_workstream``.) The
    services refuse a delete that would lose data, whoever asks."""
    return principal_for(user).officer
