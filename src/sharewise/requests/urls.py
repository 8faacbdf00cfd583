from __future__ import annotations

from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("", views.info_request_list, name="list"),
    path("new/", views.info_request_send, name="send"),
    path("record/", views.info_request_record, name="record"),
    path("<int:info_request_id>/", views.info_request_detail, name="detail"),
    path("<int:info_request_id>/match/", views.info_request_match, name="match"),
    path("<int:info_request_id>/decision/", views.info_request_decision, name="decision"),
    path("<int:info_request_id>/respond/", views.info_request_respond, name="respond"),
    path("<int:info_request_id>/reply/", views.info_request_reply, name="reply"),
    path("<int:info_request_id>/close/", views.info_request_close, name="close"),
]
