"""Record that the person was told although the guidance said not to, confirmed by the
practitioner; offer Article 9(2)(h) and Schedule 1 paragraph 6 among the special category
conditions (issue 16).

Adding a column that is not null rebuilds decisions_decision on SQLite, which drops the
signed-decision triggers with the old table: they are made again afterwards (and before,
when reversed)."""

from django.db import migrations, models

from sharewise.crypto.migration_steps import decision_triggers_recreate


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_decision_signed_record"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, decision_triggers_recreate),
        migrations.AddField(
            model_name="decision",
            name="person_told_confirmed",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="decision",
            name="special_category_condition",
            field=models.CharField(
                blank=True,
                choices=[
                    ("not_special", "The information includes no special category data"),
                    ("explicit_consent", "Explicit consent: Article 9(2)(a)"),
                    ("vital_interests", "Vital interests: Article 9(2)(c)"),
                    (
                        "health_or_social_care",
                        "Health or social care: Article 9(2)(h), with DPA 2018 Schedule 1 paragraph 2",
                    ),
                    (
                        "statutory_purposes",
                        "Statutory and government purposes: DPA 2018 Schedule 1 paragraph 6",
                    ),
                    ("legal_claims", "Legal claims or courts: Article 9(2)(f)"),
                    (
                        "safeguarding",
                        "Safeguarding of children and of individuals at risk: DPA 2018 Schedule 1 paragraph 18",
                    ),
                    (
                        "preventing_crime",
                        "Preventing or detecting unlawful acts: DPA 2018 Schedule 1 paragraph 10",
                    ),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(decision_triggers_recreate, migrations.RunPython.noop),
    ]
