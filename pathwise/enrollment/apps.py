from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "pathwise.enrollment"
    verbose_name = "Enrollment"
