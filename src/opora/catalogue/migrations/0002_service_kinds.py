from django.db import migrations


def load(apps, schema_editor):
    from opora.catalogue.reference import load_kinds

    load_kinds(apps.get_model("catalogue", "ServiceKind"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
