from __future__ import annotations

from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("<int:agency_id>/settings/", views.agency_settings, name="settings"),
]
