"""The cache table that allauth's rate limits and its record of used authenticator codes
live in (settings.CACHES). Made by a migration, so that every way of bringing a database up
to date (`sharewise serve`, `sharewise manage migrate`, the test runner) makes it too."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps: Any, schema_editor: Any) -> None:
    # createcachetable makes the table of every database cache in CACHES and leaves a
    # table that already exists alone.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_profile_with_demo_flag")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
