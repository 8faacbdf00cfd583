from __future__ import annotations

from django.urls import path

from . import views

app_name = "protocols"

urlpatterns = [
    path("", views.protocol_list, name="list"),
    path("review/", views.protocol_review, name="review"),
    path("new/", views.protocol_new, name="new"),
    path("<int:protocol_id>/", views.protocol_detail, name="detail"),
    path("<int:protocol_id>/edit/", views.protocol_edit, name="edit"),
    path("<int:protocol_id>/submit/", views.protocol_submit_page, name="submit"),
    path("<int:protocol_id>/sign/", views.protocol_sign_page, name="sign"),
    path("<int:protocol_id>/new-version/", views.protocol_new_version, name="new_version"),
    path("<int:protocol_id>/withdraw/", views.protocol_withdraw, name="withdraw"),
]
