from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's shared parts: layout, GOV.UK form rendering, health and errors."""

    name = "marmot.site"
    label = "marmot_site"
    verbose_name = "Site"

    def ready(self) -> None:
        from marmot.api import tokens
        from marmot.site import data_version

        data_version.install()
        tokens.install()  # a new password revokes API tokens (ADR 0027)
        _history_list_in_words()


def _history_list_in_words() -> None:
    """The admin's history list is ours (templates/simple_history/
    object_history_list.html, in words: ADR 37), and does not show
    simple-history's own field-by-field diffs; they are no longer computed
    (for a model with lists of links, several queries per row, unseen)."""
    from simple_history.admin import SimpleHistoryAdmin

    SimpleHistoryAdmin.set_history_delta_changes = lambda self, *args, **kwargs: None
