from __future__ import annotations

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("people/<int:person_id>/decisions/new/", views.decision_new, name="new"),
    path("decisions/<int:decision_id>/", views.detail, name="detail"),
    path("decisions/<int:decision_id>/questions/<str:fact>/", views.question, name="question"),
    path("decisions/<int:decision_id>/check/", views.check, name="check"),
    path("decisions/<int:decision_id>/outcome/", views.outcome_page, name="outcome"),
    path("decisions/<int:decision_id>/correct/", views.correct, name="correct"),
    path("decisions/<int:decision_id>/decision.pdf", views.pdf, name="pdf"),
]
