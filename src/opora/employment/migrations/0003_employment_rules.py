"""The legal numbers of employment services as dated versions of rules (the rules themselves
are declared in ``opora/employment/legal.py``): the benefit's bounds from the day 565-FZ came
into force, the ages from the law before it.

Every value here is an example to be checked: the benefit's minimum and maximum are set each
year by a decree of the Government of the Russian Federation; the ages follow 565-FZ and the
Labour Code. An administrator enters the decree's own figures under Rules in force as new
versions from the day they apply. A version already entered on the same day is left alone."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

CHECK = (
    "Пример: проверьте по действующему тексту акта. / "
    "Example: check it against the text of the act in force."
)
DECREE = "Постановление Правительства РФ о величинах пособия по безработице"
AGES = "Закон РФ 1032-1 (до 2024 г.), 565-ФЗ; ТК РФ"
VERSIONS = [
    ("unemployment_benefit_minimum", dt.date(2024, 1, 1), Decimal("1500.00"), DECREE),
    ("unemployment_benefit_maximum", dt.date(2024, 1, 1), Decimal("12792.00"), DECREE),
    ("unemployment_benefit_minimum", dt.date(2025, 1, 1), Decimal("1696.00"), DECREE),
    ("unemployment_benefit_maximum", dt.date(2025, 1, 1), Decimal("14375.00"), DECREE),
    # The ages were the same under the law 565-FZ replaced (1032-1 of 19 April 1991), so a
    # registration entered for an earlier day finds its rule too.
    ("job_seeker_min_age", dt.date(1991, 4, 19), Decimal("14"), AGES),
    ("unemployed_min_age", dt.date(1991, 4, 19), Decimal("16"), AGES),
]


def load(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for code, valid_from, value, basis in VERSIONS:
        RuleVersion.objects.get_or_create(
            code=code,
            service_form="",
            valid_from=valid_from,
            defaults={"value": value, "basis": basis, "note": CHECK, "is_example": True},
        )


def unload(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    for code, valid_from, value, _basis in VERSIONS:
        RuleVersion.objects.filter(
            code=code, service_form="", valid_from=valid_from, value=value, is_example=True
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("employment", "0002_okz_occupations"), ("rules", "0003_free_grounds")]
    operations = [migrations.RunPython(load, unload)]
