from __future__ import annotations

from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("people/<int:person_id>/", views.person_rights, name="person"),
    path(
        "people/<int:person_id>/subject-access.json",
        views.subject_access_json,
        name="subject_access_json",
    ),
    path(
        "people/<int:person_id>/subject-access/",
        views.subject_access_request,
        name="subject_access_request",
    ),
    path(
        "subject-access/<int:request_id>/",
        views.subject_access_status,
        name="subject_access_status",
    ),
    path(
        "subject-access/<int:request_id>/subject-access.pdf",
        views.subject_access_download,
        name="subject_access_download",
    ),
    path("people/<int:person_id>/consents.fhir.json", views.consents_fhir, name="consents_fhir"),
    path("people/<int:person_id>/decisions/import/", views.decision_import, name="decision_import"),
    path(
        "decisions/<int:decision_id>/decision.json", views.decision_export, name="decision_export"
    ),
]
