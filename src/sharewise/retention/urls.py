from __future__ import annotations

from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("dry-run/", views.dry_run, name="dry_run"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:schedule_id>/", views.schedule_edit, name="schedule_edit"),
    path("people/<int:person_id>/", views.person_retention, name="person"),
    path("people/<int:person_id>/holds/", views.hold_place, name="hold_place"),
    path("people/<int:person_id>/<str:kind>/keep/", views.keep, name="keep"),
    path("people/<int:person_id>/<str:kind>/dispose/", views.dispose, name="dispose"),
    path("holds/<int:hold_id>/release/", views.hold_release, name="hold_release"),
]
