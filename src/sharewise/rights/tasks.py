"""Background jobs of the rights app, on django-tasks' database backend (ADR 11): the
subject access PDF, prepared for the lead who asked for it.

As every task of Sharewise, it only reads its JSON argument and calls the service; the
work, the checks and the audit entries are in `services.subject_access_request_prepare`.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def subject_access_prepare(subject_access_request_id: int) -> str:
    """Prepare the PDF of one subject access request; returns the request's status."""
    asked = services.subject_access_request_prepare(
        subject_access_request_id=subject_access_request_id
    )
    return str(asked.status)
