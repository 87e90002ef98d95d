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
