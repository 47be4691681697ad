from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pathwise.accounts"
    label = "accounts"
    verbose_name = "Accounts"
