from django.urls import path

from pathwise.catalog import views

urlpatterns = [
    path("staff/catalogue/", views.staff_catalogue, name="staff-catalogue"),
    path("staff/catalogue/<identifier:code>/meeting/", views.change_meeting, name="staff-meeting"),
]
