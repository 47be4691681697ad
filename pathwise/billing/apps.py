from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "pathwise.billing"
    verbose_name = "Billing"
