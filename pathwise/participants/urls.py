from django.urls import path

from pathwise.participants import views

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/<identifier:public_id>/", views.progress, name="progress"),
    path("staff/participants/", views.staff_participants, name="staff-participants"),
]
