from __future__ import annotations

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.course_home, name="home"),
    # Before the pack's pages, whose <pack_id> would otherwise take "report".
    path("report/", views.training_report, name="report"),
    path("report.csv", views.training_report_csv, name="report_csv"),
    path("records/<int:training_record_id>/", views.course_record, name="record"),
    path(
        "records/<int:training_record_id>/complete/",
        views.course_complete,
        name="complete",
    ),
    path(
        "records/<int:training_record_id>/<slug:training_step>/",
        views.course_step,
        name="step",
    ),
    path("<str:pack_id>/start/", views.course_start, name="start"),
]
