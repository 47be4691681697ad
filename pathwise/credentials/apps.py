from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "pathwise.credentials"
    verbose_name = "Credentials"
