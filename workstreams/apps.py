from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_role_groups(sender, **kwargs) -> None:
    """Set up the role groups once every app's permissions exist.

    ``post_migrate`` is sent once per app, in ``INSTALLED_APPS`` order, and each
    app's permissions are created at its own turn (so after a fresh ``migrate``
    or a test's flush, an app listed after this one has none yet when this
    one's turn comes): act at the last app's turn only.
    """
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is not with_models[-1]:
        return
    from marmot.roles import roles_ensure_groups

    roles_ensure_groups()


class WorkstreamsConfig(AppConfig):
    name = "workstreams"
    verbose_name = "Programme and workstreams"

    def ready(self) -> None:
        from marmot.principals import scope_resolver_register
        from workstreams.rules import principal_scope

        post_migrate.connect(_ensure_role_groups, dispatch_uid="marmot-role-groups")
        scope_resolver_register(principal_scope)
