from __future__ import annotations

from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("sent/", views.sent, name="sent"),
    path("new/<int:decision_id>/", views.disclosure_new, name="new"),
    path(
        "people/<int:person_id>/protected-identities/",
        views.protected_identities,
        name="protected_identities",
    ),
    path("<int:disclosure_id>/", views.detail, name="detail"),
    path("<int:disclosure_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:disclosure_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:disclosure_id>/subject-told/", views.subject_told, name="subject_told"),
]
