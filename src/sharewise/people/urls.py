from __future__ import annotations

from django.urls import path

from sharewise.audit.views import person_views

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_new, name="person_new"),
    path("<int:person_id>/", views.person_detail, name="person_detail"),
    path("<int:person_id>/competence/new/", views.competence_new, name="competence_new"),
    path("<int:person_id>/capacity/new/", views.capacity_new, name="capacity_new"),
    path("<int:person_id>/consents/new/", views.consent_new, name="consent_new"),
    path("<int:person_id>/views/", person_views, name="person_views"),
]
