from django.db import migrations

ADDED = ("emergency-victim", "armed-conflict-victim")


def load(apps, schema_editor):
    """The categories the rules' free-of-charge grounds read (442-FZ art. 31 part 1); existing
    rows, as administrators changed them, are left alone."""
    from opora.registry.reference import CATEGORY_KINDS

    CategoryKind = apps.get_model("registry", "CategoryKind")
    for code, name, name_en, household_level, review_days in CATEGORY_KINDS:
        if code in ADDED:
            CategoryKind.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "household_level": household_level,
                    "review_days": review_days,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_scope_and_search_cover")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
