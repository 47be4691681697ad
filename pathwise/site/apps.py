from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "pathwise.site"
    label = "pathwise_site"
    verbose_name = "Pathwise site"
