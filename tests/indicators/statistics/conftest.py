"""Test configuration for the pure-Python statistics package (no database)."""

import pytest
from hypothesis import HealthCheck, settings

# Deterministic, fast, and leaves no example database behind.
settings.register_profile(
    "indicator-statistics",
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _media_and_email():
    """Shadow the project-wide autouse fixture of the same name.

    That fixture needs pytest-django's ``settings``; these tests never touch
    Django, so shadowing it lets them also run with ``pytest -p no:django``.
    """
    return
