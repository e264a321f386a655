"""Trigram search on PostgreSQL: the pg_trgm and unaccent extensions and a GIN trigram index on
``registry_person.search_key`` (see registry/search.py). Nothing happens on SQLite, whose search
is a fallback that needs no index.

The index is not declared in ``Person.Meta`` (a GIN opclass index needs
django.contrib.postgres and would break SQLite), so Django's migration state does not know it
and ``makemigrations`` never tries to drop it.

Reversing drops the index but keeps the extensions: other objects (and other databases'
habits) may depend on them, and an extension costs nothing when unused.
"""

from django.db import migrations

INDEX = "person_search_key_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person "
        "USING gin (search_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
