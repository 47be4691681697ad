from django.urls import path

from pathwise.credentials import views

urlpatterns = [
    path("credentials/status/<str:multikey>", views.status_list, name="status-list"),
    path("credentials/<uuid:credential_id>", views.credential_page, name="credential"),
    path("credentials/<uuid:credential_id>.json", views.credential_json, name="credential-json"),
    path("credentials/<uuid:credential_id>/badge.<badge_image:kind>", views.credential_image,
         name="credential-image"),
    path("credentials/<uuid:credential_id>/certificate.pdf", views.certificate,
         name="certificate"),
    path("verify/", views.verify_page, name="verify"),
    path("achievements/<str:program_id>/<str:code>", views.achievement_page, name="achievement"),
    path("achievements/<str:program_id>/<str:code>/image.png", views.achievement_image,
         name="achievement-image"),
    path("staff/credentials/", views.staff_credentials, name="staff-credentials"),
    path("staff/credentials/<uuid:credential_id>/", views.staff_action, name="staff-credential"),
    path("staff/credentials/<uuid:credential_id>/revoke/", views.confirm_revoke,
         name="staff-confirm-revoke"),
]
