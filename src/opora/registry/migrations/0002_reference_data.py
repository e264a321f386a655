from django.db import migrations


def load(apps, schema_editor):
    from opora.registry.reference import CATEGORY_KINDS, DOCUMENT_KINDS

    DocumentKind = apps.get_model("registry", "DocumentKind")
    CategoryKind = apps.get_model("registry", "CategoryKind")
    for code, name, name_en, series, number in DOCUMENT_KINDS:
        DocumentKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "series_pattern": series,
                                 "number_pattern": number},
        )
    for code, name, name_en, household_level, review_days in CATEGORY_KINDS:
        CategoryKind.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en,
                                 "household_level": household_level, "review_days": review_days},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
