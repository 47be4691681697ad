from django.urls import path

from pathwise.lms import views

urlpatterns = [
    path("staff/lms/", views.staff_lms, name="staff-lms"),
]
