"""Test configuration for the pure-Python statistics package (no database)."""

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
