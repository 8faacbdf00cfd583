"""The free text of decisions that can hold special category data, encrypted (docs/decisions/
0009-field-encryption.md).

Signed decisions are encrypted too: their triggers (audit migration 0002) are lifted for
that UPDATE alone, inside this migration's transaction, because the text they hold does not
change, only how it is stored (crypto/rotation.py, signed_decision_updates_allowed).
"""

from django.db import migrations

import sharewise.crypto.fields
from sharewise.crypto.migration_steps import (
    decision_triggers_recreate,
    decrypt_existing,
    encrypt_existing,
)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        # The signed-decision triggers must exist, and be the ones this migration lifts.
        ("audit", "0002_refuse_changes_to_audit_and_signed_decisions"),
    ]

    operations = [
        # Run backwards last: reverting the column types rebuilds the table on SQLite
        # again, and the triggers must be made once more.
        migrations.RunPython(migrations.RunPython.noop, decision_triggers_recreate),
        migrations.AlterField(
            model_name="decision",
            name="advice_given",
            field=sharewise.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="decision",
            name="notes",
            field=sharewise.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="decision",
            name="person_not_told_reason",
            field=sharewise.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.AlterField(
            model_name="decision",
            name="proportionality",
            field=sharewise.crypto.fields.EncryptedJSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="decision",
            name="reasons",
            field=sharewise.crypto.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.RunPython(
            encrypt_existing(
                "decisions_decision",
                ["advice_given", "notes", "person_not_told_reason", "proportionality", "reasons"],
            ),
            decrypt_existing(
                "decisions_decision",
                ["advice_given", "notes", "person_not_told_reason", "proportionality", "reasons"],
            ),
        ),
    ]
