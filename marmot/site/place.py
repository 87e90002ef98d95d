"""The place this deployment serves, as the core's pages and emails need it.

The core shows the place's name in every page's header and every email's
subject, but the place is reference data held by an app (`indicators.Place`,
with its area and comparators). That app registers how to load it when it
starts (`place_loader_register`, from its ``AppConfig.ready``); with none
registered, or no place loaded yet, the service is called "Marmot Tracker".
"""

from __future__ import annotations

from collections.abc import Callable

FALLBACK_SERVICE_NAME = "Marmot Tracker"

_place_loader: Callable[[], object | None] | None = None


def place_loader_register(loader: Callable[[], object | None]) -> None:
    """Name the function that returns the place (with ``name`` and
    ``service_name``), or None when none is loaded. One query."""
    global _place_loader
    _place_loader = loader


def place_current() -> object | None:
    return _place_loader() if _place_loader is not None else None


def service_name(place: object | None) -> str:
    return getattr(place, "service_name", "") or FALLBACK_SERVICE_NAME
