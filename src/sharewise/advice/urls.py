from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "advice"
urlpatterns: list[URLPattern] = [
    path("", views.advice_list, name="list"),
    path("new/", views.advice_new, name="new"),
    path("<int:advice_id>/", views.advice_detail, name="detail"),
    path("<int:advice_id>/review/", views.advice_review, name="review"),
    path("<int:advice_id>/send/", views.advice_send, name="send"),
    path("<int:advice_id>/discard/", views.advice_discard, name="discard"),
    path("<int:advice_id>/answer/", views.advice_answer, name="answer"),
    path("<int:advice_id>/outcome/", views.advice_outcome, name="outcome"),
    path("<int:advice_id>/copy-to-decision/", views.advice_copy, name="copy"),
]
