from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pathwise.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Registers the bearer scheme with drf-spectacular.
        from pathwise.api import schema  # noqa: F401, PLC0415
