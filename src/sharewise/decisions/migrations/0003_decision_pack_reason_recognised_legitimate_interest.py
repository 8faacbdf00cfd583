"""Record why a decision's pack applied, and offer the recognised legitimate interest
(UK GDPR Article 6(1)(ea)) among the Article 6 bases (issue 7).

Adding a column rebuilds decisions_decision on SQLite, which drops the signed-decision
triggers with the old table: they are made again afterwards (and before, when reversed)."""

from django.db import migrations, models

from sharewise.crypto.migration_steps import decision_triggers_recreate


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_encrypt_free_text"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, decision_triggers_recreate),
        migrations.AddField(
            model_name="decision",
            name="pack_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="decision",
            name="article6_basis",
            field=models.CharField(
                blank=True,
                choices=[
                    ("consent", "Consent: Article 6(1)(a)"),
                    ("legal_obligation", "Legal obligation: Article 6(1)(c)"),
                    ("vital_interests", "Vital interests: Article 6(1)(d)"),
                    ("public_task", "Public task: Article 6(1)(e)"),
                    (
                        "recognised_legitimate_interest",
                        "Recognised legitimate interest: Article 6(1)(ea) (not for public authorities performing their tasks)",
                    ),
                    ("legitimate_interests", "Legitimate interests: Article 6(1)(f)"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(decision_triggers_recreate, migrations.RunPython.noop),
    ]
