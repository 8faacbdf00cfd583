from __future__ import annotations

from django.urls import path

from sharewise.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("packs/", views.pack_list, name="pack_list"),
    # Before the pack pages, whose <pack_id> would otherwise take "compare".
    path("packs/compare/", views.pack_compare, name="pack_compare"),
    path("packs/<str:pack_id>/", views.pack_detail, name="pack_detail"),
    path("packs/<str:pack_id>/sources/", views.pack_sources, name="pack_sources"),
    # Paragraph ids contain dots and colons ("3.43", "000:box.purpose"), which the path
    # converter passes through whole.
    path(
        "packs/<str:pack_id>/sources/<path:cite>/",
        views.source_paragraph,
        name="source_paragraph",
    ),
]
