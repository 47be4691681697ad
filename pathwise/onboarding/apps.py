from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "pathwise.onboarding"
    verbose_name = "Onboarding"
