from django.urls import path

from pathwise.participants import views

staff = "staff/participants/<identifier:public_id>/"

urlpatterns = [
    path(f"{staff}credit/", views.credit, name="staff-credit"),
    path(f"{staff}extend/", views.extend, name="staff-extend"),
    path(f"{staff}withdraw/", views.withdraw, name="staff-withdraw"),
    path(f"{staff}reinstate/", views.reinstate, name="staff-reinstate"),
    path(f"{staff}job/", views.job, name="staff-job"),
    path(f"{staff}intake/", views.intake, name="staff-intake"),
    path("staff/extension-requests/", views.extension_requests,
         name="staff-extension-requests"),
    path("staff/extension-requests/<int:request_id>/grant/", views.grant_request,
         name="staff-extension-grant"),
    path("staff/extension-requests/<int:request_id>/refuse/", views.refuse_request,
         name="staff-extension-refuse"),
    path("participants/<identifier:public_id>/employer/", views.own_employer,
         name="own-employer"),
]
