"""Officer admin for the workstreams app, one module per topic."""

from workstreams.admin import (
    actions,
    consultation,
    invitations,
    logic_models,
    programme,
    reminders,
    submissions,
    workplans,
)

__all__ = [
    "actions",
    "consultation",
    "invitations",
    "logic_models",
    "programme",
    "reminders",
    "submissions",
    "workplans",
]
