"""Consent records' notes encrypted: free text that can hold special category data
(docs/decisions/0009-field-encryption.md).
"""

from django.db import migrations

import sharewise.crypto.fields
from sharewise.crypto.migration_steps import decrypt_existing, encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consentrecord",
            name="notes",
            field=sharewise.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(
            encrypt_existing("consents_consentrecord", ["notes"]),
            decrypt_existing("consents_consentrecord", ["notes"]),
        ),
    ]
