from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs) -> None:
    from workstreams.roles import roles_ensure_groups

    roles_ensure_groups()


class WorkstreamsConfig(AppConfig):
    name = "workstreams"
    verbose_name = "Programme and workstreams"

    def ready(self) -> None:
        post_migrate.connect(_ensure_role_groups, sender=self)
