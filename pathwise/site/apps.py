from django.apps import AppConfig
from django.urls import register_converter

from pathwise.site.validation import BadgeImageConverter, IdentifierConverter


class SiteConfig(AppConfig):
    name = "pathwise.site"
    label = "pathwise_site"
    verbose_name = "Pathwise site"

    def ready(self) -> None:
        # Before any URL pattern is read: the apps' URLs name these converters.
        register_converter(IdentifierConverter, "identifier")
        register_converter(BadgeImageConverter, "badge_image")
