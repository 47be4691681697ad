from django.urls import path

from pathwise.catalog import public

urlpatterns = [
    path("programs/", public.programs, name="public-programs"),
    path("programs/<identifier:program_id>/", public.program_page, name="public-program"),
    path("programs/<identifier:program_id>/<identifier:code>/", public.component_page,
         name="public-component"),
]
