"""A member of staff's searches, read from indexes alone.

The people of her institutions come from an index on (institution, person) instead of the
foreign key's index on the institution alone. On PostgreSQL the B-tree on the search key also
carries the record's id and its merge (INCLUDE), so that the ranges a search walks — every
"Петров" of the city, of whom a few hundred are hers — are read without visiting the table
(once autovacuum has marked the pages all-visible). Django's state knows the index by its name
only; SQLite keeps the plain one.
"""

import django.db.models.deletion
from django.db import migrations, models


COVERED = (
    "CREATE INDEX person_search_key_idx ON registry_person (search_key) "
    "INCLUDE (id, merged_into_id)"
)
PLAIN = "CREATE INDEX person_search_key_idx ON registry_person (search_key)"


def _replace_search_key_index(definition):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS person_search_key_idx")
        schema_editor.execute(definition)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('institutions', '0001_initial'),
        ('registry', '0006_name_words'),
    ]

    operations = [
        migrations.AlterField(
            model_name='personinstitution',
            name='institution',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='person_links', to='institutions.institution'),
        ),
        migrations.AddIndex(
            model_name='personinstitution',
            index=models.Index(fields=['institution', 'person'], name='person_link_by_institution'),
        ),
        migrations.RunPython(
            _replace_search_key_index(COVERED), _replace_search_key_index(PLAIN), elidable=False
        ),
    ]
