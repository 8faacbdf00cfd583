"""Sharewise's own pages under /accounts/. They come before allauth's in sharewise/urls.py,
so the pages here replace allauth's pages of the same address."""

from __future__ import annotations

from django.urls import path

from sharewise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path(
        "password/reset/",
        views.ask_administrator,
        {"topic": "password_reset"},
        name="password_reset",
    ),
    path("email/", views.ask_administrator, {"topic": "email"}, name="email"),
]
