from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "pathwise.participants"
    verbose_name = "Participants"
