from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "mpp.catalog"
    label = "catalog"

    def ready(self) -> None:
        from mpp.catalog import signals

        signals.connect()
