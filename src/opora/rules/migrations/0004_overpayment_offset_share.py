"""The share of a monthly payment withheld against an open overpayment, a rule in every
installation (the payroll reads it on the first day of the month it pays): the city's act on
recovering overpaid sums sets it. The value shipped, 20 % from 1 January 2015, is an example
to be checked against that act; an administrator adds the act's own figure under Rules in
force as a new version from the day it applies. A version an administrator already entered
on that day is left alone.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

CODE = "overpayment_offset_share"
VALID_FROM = dt.date(2015, 1, 1)
VALUE = Decimal("0.2")
BASIS = "Акт города о порядке удержания излишне выплаченных сумм"
NOTE = (
    "Пример: доля удержания устанавливается актом города; проверьте по действующему акту. / "
    "Example: the city's act sets the share withheld; check it against the act in force."
)


def load(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    RuleVersion.objects.get_or_create(
        code=CODE,
        service_form="",
        valid_from=VALID_FROM,
        defaults={"value": VALUE, "basis": BASIS, "note": NOTE, "is_example": True},
    )


def unload(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    RuleVersion.objects.filter(
        code=CODE, service_form="", valid_from=VALID_FROM, value=VALUE, is_example=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_free_grounds")]
    operations = [migrations.RunPython(load, unload)]
