"""The law in every installation, not demo data:

- the grounds on which social services are free whatever the income, 442-FZ art. 31 part 1
  (minors; persons affected by emergencies; persons affected by armed inter-ethnic
  conflicts), in force since the law on 1 January 2015 (``reference.FREE_GROUNDS``).
  Administrators add the grounds later amendments and regional laws bring, and end these if
  the law does;
- the corrected legal basis of the deadlines the demo shipped with a wrong part of the
  article (the programme is drawn up within 10 working days of the application, art. 16
  part 4; it is reviewed at least every 3 years, art. 16 part 2; the decision on need,
  art. 15, with no part that domain.md confirms). Only rows still carrying the old text
  exactly are changed; the values are not touched.
"""

from django.db import migrations

LAW = "Федеральный закон от 28.12.2013 № 442-ФЗ"
# rule code: (the basis the demo shipped, the corrected one)
BASIS_CORRECTIONS = {
    "need_decision_days": (f"{LAW}, ст. 15 ч. 3", f"{LAW}, ст. 15"),
    "programme_days": (f"{LAW}, ст. 16 ч. 3", f"{LAW}, ст. 16 ч. 4"),
    "programme_review_years": (f"{LAW}, ст. 16 ч. 5", f"{LAW}, ст. 16 ч. 2"),
}


def load(apps, schema_editor):
    from opora.rules.reference import ensure_free_grounds

    ensure_free_grounds(apps.get_model("rules", "FreeGround"))
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for code, (old, new) in BASIS_CORRECTIONS.items():
        RuleVersion.objects.filter(code=code, basis=old).update(basis=new)


def unload(apps, schema_editor):
    from opora.rules.reference import FREE_GROUNDS, LAW_442_IN_FORCE

    FreeGround = apps.get_model("rules", "FreeGround")
    FreeGround.objects.filter(
        code__in=[code for code, *_rest in FREE_GROUNDS], valid_from=LAW_442_IN_FORCE
    ).delete()
    # The corrected citations stay: going back does not make them wrong again.


class Migration(migrations.Migration):
    dependencies = [("rules", "0002_free_grounds_and_optional_group_minimums")]
    operations = [migrations.RunPython(load, unload)]
