from django.urls import path

from pathwise.enrollment import catalogue_views, plan_views, views

urlpatterns = [
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("catalogue/<identifier:code>/enroll/", catalogue_views.enroll, name="enroll"),
    path("plan/", plan_views.planner, name="plan"),
    path("schedule/", catalogue_views.schedule, name="schedule"),
    path("schedule/<int:seat_id>/change/", catalogue_views.change, name="change"),
    path("schedule/calendar/", catalogue_views.calendar_address, name="calendar-address"),
    path("calendar/<str:token>.ics", catalogue_views.calendar_feed, name="calendar-feed"),
    path("demand/", views.demand, name="demand"),
    path("staff/demand/", views.staff_demand, name="staff-demand"),
]
