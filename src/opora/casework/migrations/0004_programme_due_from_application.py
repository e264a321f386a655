"""The individual programme is due within the working days of the rule counted from the
application (442-FZ art. 16 part 4), not from the decision on recognition: every stored case
with a programme deadline gets it counted again, and a case that waits for its programme gets
its next deadline with it.

The deadline of a day is the same for every case applied on that day, so the cases are updated
one application day at a time, in two UPDATEs, and only where the date changes. The rule in
force on the application day and the working-day calendar are read through the historical
models; the counting is the rules app's pure ``WorkCalendar``. A day whose rule or calendar is
not loaded keeps its deadlines as they are (the services refuse to guess them either).

Going back restores nothing: the dates counted from the decision were wrong."""

from django.db import migrations

# The rule's code and the statuses, as they are when this migration is written.
PROGRAMME_DAYS = "programme_days"
WORKING = "working"
WAITING_FOR_PROGRAMME = ("recognised", "programme_drafted")


def _work_calendar(apps):
    from opora.rules.workdays import WorkCalendar

    CalendarYear = apps.get_model("rules", "CalendarYear")
    CalendarDay = apps.get_model("rules", "CalendarDay")
    days_off, working = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (working if kind == WORKING else days_off).add(day)
    return WorkCalendar(
        years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
        days_off=frozenset(days_off),
        working_weekend_days=frozenset(working),
    )


def _days_in_force(apps):
    """The rule's versions, oldest first, as (valid from, working days)."""
    RuleVersion = apps.get_model("rules", "RuleVersion")
    return list(
        RuleVersion.objects.filter(code=PROGRAMME_DAYS, service_form="")
        .order_by("valid_from")
        .values_list("valid_from", "value")
    )


def recount(apps, schema_editor):
    from opora.core.errors import DomainError

    Case = apps.get_model("casework", "Case")
    applied_days = list(
        Case.objects.filter(programme_due__isnull=False)
        .values_list("applied_on", flat=True)
        .distinct()
        .order_by("applied_on")
    )
    if not applied_days:
        return
    versions = _days_in_force(apps)
    calendar = _work_calendar(apps)
    for applied_on in applied_days:
        in_force = [int(value) for valid_from, value in versions if valid_from <= applied_on]
        if not in_force:
            continue
        try:
            due = calendar.add_working_days(applied_on, in_force[-1])
        except DomainError:  # the calendar of a year of the count is not loaded
            continue
        cases = Case.objects.filter(applied_on=applied_on, programme_due__isnull=False)
        cases.filter(status__in=WAITING_FOR_PROGRAMME).exclude(next_due=due).update(next_due=due)
        cases.exclude(programme_due=due).update(programme_due=due)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0003_labels"),
        ("rules", "0001_initial"),
    ]
    operations = [migrations.RunPython(recount, migrations.RunPython.noop, elidable=True)]
