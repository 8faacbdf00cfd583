from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:dashboard_slug>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("people/<int:person_id>/audit/", views.person_audit, name="person_audit"),
    path("users/<int:user_id>/audit/", views.user_audit, name="user_audit"),
]
