from django.urls import path

from pathwise.standing import risk_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/<identifier:public_id>/", views.progress, name="progress"),
    path("participants/<identifier:public_id>/extension/", views.extension_request,
         name="extension-request"),
    path("staff/participants/", views.staff_participants, name="staff-participants"),
    path("staff/at-risk/", risk_views.staff_at_risk, name="staff-at-risk"),
]
