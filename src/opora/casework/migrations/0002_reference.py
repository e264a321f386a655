from django.db import migrations


def load(apps, schema_editor):
    from opora.casework.reference import load_reference

    load_reference(
        apps.get_model("casework", "ApplicationGround"),
        apps.get_model("casework", "AssessmentScale"),
        apps.get_model("casework", "ScaleItem"),
        apps.get_model("casework", "CareLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
