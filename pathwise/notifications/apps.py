from django.apps import AppConfig
from django.core import checks

from pathwise.notifications.checks import tasks_are_stored_in_the_database


class NotificationsConfig(AppConfig):
    name = "pathwise.notifications"
    verbose_name = "Notifications and background tasks"

    def ready(self) -> None:
        checks.register(tasks_are_stored_in_the_database, checks.Tags.compatibility)
