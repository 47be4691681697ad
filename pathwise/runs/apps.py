from django.apps import AppConfig


class RunsConfig(AppConfig):
    name = "pathwise.runs"
    verbose_name = "Running the runs"
