"""Officer admin for the workstreams app, one module per topic."""

from workstreams.admin import actions, logic_models, programme, submissions, workplans

__all__ = ["actions", "logic_models", "programme", "submissions", "workplans"]
