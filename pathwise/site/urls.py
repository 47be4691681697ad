from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("pathwise.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("pathwise.api.urls")),
    path("", include("pathwise.enrollment.urls")),
    path("", include("pathwise.catalog.urls")),
    path("", include("pathwise.catalog.public_urls")),
    path("", include("pathwise.credentials.urls")),
    path("", include("pathwise.standing.urls")),
    path("", include("pathwise.participants.urls")),
    path("", include("pathwise.participants.version_urls")),
    path("", include("pathwise.notifications.urls")),
    path("", include("pathwise.runs.urls")),
    path("", include("pathwise.capstone.urls")),
    path("", include("pathwise.onboarding.urls")),
]

handler403 = "pathwise.site.errors.forbidden"
