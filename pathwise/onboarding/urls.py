from django.urls import path

from pathwise.onboarding import views

urlpatterns = [
    path("interest/", views.interest, name="interest"),
    path("interest/thanks/", views.interest_thanks, name="interest-thanks"),
    path("staff/interest/", views.staff_interest, name="staff-interest"),
    path("staff/interest/<int:interest_id>/", views.interest_detail, name="staff-interest-one"),
    path("staff/interest/<int:interest_id>/decline/", views.decline,
         name="staff-interest-decline"),
    path("staff/onboarding/add/", views.add_person, name="staff-add-participant"),
    path("staff/onboarding/import/", views.import_people, name="staff-import-participants"),
    path("staff/onboarding/<identifier:public_id>/invitation/", views.invitation,
         name="staff-invitation"),
    path("welcome/invitation/<str:token>/", views.accept_invitation, name="invitation"),
    path("welcome/", views.welcome, name="welcome"),
    path("welcome/plan/", views.welcome_plan, name="welcome-plan"),
]
