from django.apps import AppConfig


def _place_load():
    from indicators.models import Place

    return Place.objects.only("name", "service_name").first()


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Outcome measures and indicators"

    def ready(self) -> None:
        from marmot.site.place import place_loader_register

        place_loader_register(_place_load)
