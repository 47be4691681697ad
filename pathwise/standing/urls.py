from django.urls import path

from pathwise.standing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/<identifier:public_id>/", views.progress, name="progress"),
    path("participants/<identifier:public_id>/extension/", views.extension_request,
         name="extension-request"),
    path("staff/participants/", views.staff_participants, name="staff-participants"),
]
