from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """The outgoing mail queue's admin (the queue itself is django-mailer's)."""

    name = "marmot.outbox"
    label = "outbox"
    verbose_name = "Outgoing mail"
