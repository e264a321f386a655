from django.db import migrations


def load(apps, schema_editor):
    from opora.institutions.reference import load_reference_data

    load_reference_data(
        apps.get_model("institutions", "InstitutionKind"),
        apps.get_model("institutions", "AccessibilityFeature"),
        apps.get_model("institutions", "Position"),
        replace=True,
    )
    # Institutions recorded before statuses existed: an inactive one was closed.
    Institution = apps.get_model("institutions", "Institution")
    Institution.objects.filter(is_active=False).update(status="closed")


class Migration(migrations.Migration):
    dependencies = [("institutions", "0002_network_and_staff")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
