from django.urls import path

from pathwise.participants import views

urlpatterns = [
    path("", views.home, name="home"),
    path("participants/<str:public_id>/", views.progress, name="progress"),
]
