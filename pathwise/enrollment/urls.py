from django.urls import path

from pathwise.enrollment import views

urlpatterns = [
    path("demand/", views.demand, name="demand"),
    path("staff/demand/", views.staff_demand, name="staff-demand"),
]
