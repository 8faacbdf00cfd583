"""Keep the whole record of a decision when it is signed (guidance.record).

A nullable column is added in place (ALTER TABLE ... ADD COLUMN, also on SQLite, where the
table is not rebuilt and its signed-decision triggers stay). Decisions signed before it
keep NULL and are shown from their summary columns, marked as rebuilt
(decisions.selectors.decision_record): a signed row is never rewritten to fill it.
"""

from django.db import migrations

import sharewise.crypto.fields


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0004_signed_by_agency_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="signed_record",
            field=sharewise.crypto.fields.EncryptedJSONField(blank=True, null=True),
        ),
    ]
