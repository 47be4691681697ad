from django.urls import path

from pathwise.catalog import views

urlpatterns = [
    path("staff/catalogue/", views.staff_catalogue, name="staff-catalogue"),
    path("staff/catalogue/intakes/new/", views.intake_new, name="staff-intake-new"),
    path("staff/catalogue/intakes/<identifier:intake>/", views.intake_edit,
         name="staff-intake-edit"),
    path("staff/catalogue/runs/new/", views.run_new, name="staff-run-new"),
    path("staff/catalogue/import/", views.offerings_import, name="staff-offerings-import"),
    path("staff/catalogue/export/", views.offerings_export, name="staff-offerings-export"),
    path("staff/catalogue/<identifier:code>/edit/", views.run_edit, name="staff-run-edit"),
    path("staff/catalogue/<identifier:code>/publish/", views.run_publish,
         name="staff-run-publish"),
    path("staff/catalogue/<identifier:code>/meeting/", views.change_meeting, name="staff-meeting"),
    path("staff/catalogue/<identifier:code>/meetings/", views.run_meetings,
         name="staff-run-meetings"),
    path("staff/catalogue/<identifier:code>/meetings/move/", views.move_to,
         name="staff-move-meeting"),
    path("staff/catalogue/<identifier:code>/meetings/<str:day>/cancel/", views.confirm_cancel,
         name="staff-confirm-cancel"),
]
