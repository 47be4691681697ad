from django.urls import path

from pathwise.catalog import views

urlpatterns = [
    path("staff/catalogue/", views.staff_catalogue, name="staff-catalogue"),
    path("staff/catalogue/<identifier:code>/meeting/", views.change_meeting, name="staff-meeting"),
    path("staff/catalogue/<identifier:code>/meetings/", views.run_meetings,
         name="staff-run-meetings"),
    path("staff/catalogue/<identifier:code>/meetings/<str:day>/cancel/", views.confirm_cancel,
         name="staff-confirm-cancel"),
]
