from django.urls import path

from pathwise.notifications import views

urlpatterns = [
    path("staff/tasks/", views.staff_tasks, name="staff-tasks"),
]
