"""Officer admin for the workstreams app, one module per topic."""

from workstreams.admin import (
    accounts,
    actions,
    consultation,
    invitations,
    kpis,
    logic_models,
    programme,
    reminders,
    submissions,
    workplans,
)

__all__ = [
    "accounts",
    "actions",
    "consultation",
    "invitations",
    "kpis",
    "logic_models",
    "programme",
    "reminders",
    "submissions",
    "workplans",
]
