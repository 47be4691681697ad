from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pathwise.catalog"
    verbose_name = "Catalog"
