from django.urls import path

from pathwise.capstone import views

urlpatterns = [
    path("participants/<identifier:public_id>/capstone/", views.capstone, name="capstone"),
    path("capstones/<int:submission_id>/file/", views.capstone_file, name="capstone-file"),
    path("staff/capstones/", views.staff_queue, name="staff-capstones"),
    path("staff/capstones/<int:submission_id>/", views.staff_review, name="staff-capstone"),
]
