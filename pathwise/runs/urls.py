from django.urls import path

from pathwise.runs import views

urlpatterns = [
    path("runs/", views.index, name="runs"),
    path("runs/<identifier:code>/", views.roster, name="run-roster"),
    path("runs/<identifier:code>/roster.csv", views.roster_csv, name="run-roster-csv"),
    path("runs/<identifier:code>/instructors/", views.instructors, name="run-instructors"),
    path("runs/<identifier:code>/seats/", views.seats, name="run-seats"),
    path("runs/<identifier:code>/meetings/<str:day>/", views.register, name="run-register"),
    path("runs/<identifier:code>/meetings/<str:day>/import/", views.register_import,
         name="run-register-import"),
    path("runs/<identifier:code>/grades/", views.grades, name="run-grades"),
    path("runs/<identifier:code>/outcomes/", views.outcome_list, name="run-outcomes"),
    path("runs/<identifier:code>/outcomes/final/", views.make_final, name="run-make-final"),
    path("runs/<identifier:code>/outcomes/correct/", views.correct, name="run-correct"),
]
