from django.apps import AppConfig


class CapstoneConfig(AppConfig):
    name = "pathwise.capstone"
    verbose_name = "Capstones"
