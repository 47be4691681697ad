from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pathwise.catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        # It imports the models, which exist only once the app registry is ready.
        from pathwise.catalog import versions  # noqa: PLC0415

        versions.connect()
