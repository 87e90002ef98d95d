"""History rows written by setting a place up, told apart from people's work.

Loading a place's data directory (``load_programme`` and its shortcuts) writes
actions, values and judgements through the same services as everyone else, so
simple-history records each row. Those rows are set-up, not activity: the
changes page must not list them as "23 new actions by Not recorded".

Inside ``with history_change_reason(DATA_LOAD):`` every history row created in
this thread or task (by ``save()``, ``delete()`` or an m2m change) gets
``history_change_reason = "data load"`` unless the code set its own reason.
Readers exclude rows with that reason (:mod:`workstreams.page_selectors.changes`).
What it cannot catch: bulk writes that create no history rows at all (e.g.
``bulk_create``); they have no history to mark.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from simple_history.signals import pre_create_historical_record

#: The reason on history rows written by loading a place's data directory.
DATA_LOAD = "data load"

_reason: ContextVar[str | None] = ContextVar("history_change_reason", default=None)


@contextmanager
def history_change_reason(reason: str) -> Iterator[None]:
    """Mark every history row created inside the block with ``reason``."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def _mark(sender, history_instance, **kwargs) -> None:
    reason = _reason.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


pre_create_historical_record.connect(_mark, dispatch_uid="marmot.history.reason")
