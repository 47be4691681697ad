from django.urls import path

from pathwise.standing import views

urlpatterns = [
    path("staff/participants/", views.staff_participants, name="staff-participants"),
]
