from django.urls import path

from pathwise.evaluations import views

urlpatterns = [
    path("evaluations/<identifier:run>/", views.evaluation, name="evaluation"),
    path("staff/evaluations/", views.staff_summary, name="staff-evaluations"),
    path("runs/<identifier:code>/evaluations/", views.run_evaluations, name="run-evaluations"),
]
