from django.urls import path

from pathwise.participants import version_views

urlpatterns = [
    path("staff/participants/<identifier:public_id>/version/", version_views.version_move,
         name="participant-version"),
]
