"""The default retention schedules, one per kind of record, which a partnership
administrator then edits (`/retention/schedules/`).

Only the child protection default comes from the product's brief (DESIGN.md capability 10:
"date of birth plus 25 years for child protection records"). The guidance sets no periods:
it says information "should not be kept any longer than is necessary" and, where kept
long, reviewed "at regular intervals" (004 "Record"). So every default ends in a review,
never in disposal, and the records that go with a child protection record (consent,
disclosures, meetings, requests) are kept 25 years after their last activity, which is
never sooner than the child's date of birth plus 25 years.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULTS = [
    ("child_protection", "date_of_birth", 25),
    ("adult_safeguarding", "last_activity", 6),
    ("consent", "last_activity", 25),
    ("disclosure", "last_activity", 25),
    ("meeting", "last_activity", 25),
    ("information_request", "last_activity", 25),
    # An advice request holds only the redacted text; the advice itself is copied into the
    # decision's record, which keeps it as long as the decision is kept.
    ("advice_request", "last_activity", 6),
]


def schedules_create(apps: Any, schema_editor: Any) -> None:
    schedule = apps.get_model("retention", "RetentionSchedule")
    for kind, basis, years in DEFAULTS:
        schedule.objects.using(schema_editor.connection.alias).get_or_create(
            kind=kind, defaults={"basis": basis, "years": years, "action": "review"}
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_retention_schedules_reviews_and_holds")]

    operations = [migrations.RunPython(schedules_create, migrations.RunPython.noop)]
