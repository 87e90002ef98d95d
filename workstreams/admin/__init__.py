"""Officer admin for the workstreams app, one module per topic."""

from workstreams.admin import (
    accounts,
    achievements,
    actions,
    consultation,
    invitations,
    kpis,
    logic_models,
    milestones,
    programme,
    reminders,
    submissions,
    workplans,
)

__all__ = [
    "accounts",
    "achievements",
    "actions",
    "consultation",
    "invitations",
    "kpis",
    "logic_models",
    "milestones",
    "programme",
    "reminders",
    "submissions",
    "workplans",
]
