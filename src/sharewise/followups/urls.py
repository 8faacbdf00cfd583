from __future__ import annotations

from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("followups/", views.followup_list, name="list"),
    path("decisions/<int:decision_id>/followups/new/", views.followup_new, name="new"),
    path("followups/<int:followup_id>/", views.followup_detail, name="detail"),
    path("followups/<int:followup_id>/contact/", views.followup_contact, name="contact"),
    path("followups/<int:followup_id>/stop/", views.followup_stop, name="stop"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("people/<int:person_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:meeting_id>/attendees/",
        views.meeting_attendee_add,
        name="meeting_attendee_add",
    ),
    path(
        "meetings/<int:meeting_id>/contributions/",
        views.meeting_contribution_add,
        name="meeting_contribution_add",
    ),
    path("meetings/<int:meeting_id>/actions/", views.meeting_action_add, name="meeting_action_add"),
    path(
        "meetings/<int:meeting_id>/actions/<int:action_id>/followup/",
        views.meeting_action_followup,
        name="meeting_action_followup",
    ),
]
