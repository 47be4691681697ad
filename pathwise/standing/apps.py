from django.apps import AppConfig


class StandingConfig(AppConfig):
    name = "pathwise.standing"
    verbose_name = "Standing"
