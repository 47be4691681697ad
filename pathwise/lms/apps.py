from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "pathwise.lms"
    verbose_name = "Learning platform"
