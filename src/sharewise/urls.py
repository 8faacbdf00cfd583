"""The URLs of the whole service. Each area's app brings its own; the web pages are first."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("sharewise.web.urls")),
    path("people/", include("sharewise.people.urls")),
    path("", include("sharewise.decisions.urls")),
]
