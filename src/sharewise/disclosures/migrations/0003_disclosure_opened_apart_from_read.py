"""A disclosure's first opening is kept apart from its reading (issue 17).

Until now `read_at` was set by the first opening in the recipient's agency, even one that
showed no content (before the limits were accepted, or to an auditor), and the sender's
list said "read". `opened_at` now keeps that opening; `read_at` is when the content was
first shown, which is when the named recipient accepted the limits. Existing rows: every
opening becomes `opened_at`; a disclosure never acknowledged was never read, so its
`read_at` is cleared (acknowledged ones are frozen by 0002's triggers, and their `read_at`
stays: the content was shown at the acknowledgement, a moment after).
"""

from typing import Any

from django.db import migrations, models


def opened_apart_from_read(apps: Any, schema_editor: Any) -> None:
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.filter(read_at__isnull=False).update(opened_at=models.F("read_at"))
    Disclosure.objects.filter(acknowledged_at__isnull=True, read_at__isnull=False).update(
        read_at=None, read_by=None
    )


def read_from_opened(apps: Any, schema_editor: Any) -> None:
    Disclosure = apps.get_model("disclosures", "Disclosure")
    Disclosure.objects.filter(acknowledged_at__isnull=True, opened_at__isnull=False).update(
        read_at=models.F("opened_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0002_acknowledged_disclosure_never_changed"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosure",
            name="opened_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(opened_apart_from_read, read_from_opened),
    ]
