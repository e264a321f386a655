"""The rules in force for the demo: the 442-FZ figures, the regions of the seeds with example
subsistence minimums, and the production calendars of 2025 and 2026. Everything is keyed (a
rule by code, form and date; a region by code; a day by date), so loading twice adds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from opora.demo.loading import DemoContext, step
from opora.rules import reference, services
from opora.rules.models import CalendarDay, CalendarYear, Region, RuleVersion, SubsistenceMinimum


def load_rules(actor=None) -> None:
    """Everything the rules app ships, through the services; what exists is left alone. Also
    used by the tests to start from the same rules as the demo."""
    existing_versions = set(RuleVersion.objects.values_list("code", "service_form", "valid_from"))
    for code, form, value, basis in reference.RULE_VALUES:
        if (code, str(form), reference.LAW_442_IN_FORCE) in existing_versions:
            continue
        services.rule_version_add(
            actor=actor,
            code=code,
            service_form=form,
            valid_from=reference.LAW_442_IN_FORCE,
            value=value,
            basis=basis,
        )

    regions = {r.code: r for r in Region.objects.all()}
    for code, name, name_en, is_home in reference.REGIONS:
        if code not in regions:
            regions[code] = services.region_create(
                actor=actor, code=code, name=name, name_en=name_en, is_home=is_home
            )

    existing_minimums = set(SubsistenceMinimum.objects.values_list("region__code", "valid_from"))
    for code, rows in reference.SUBSISTENCE_MINIMUMS.items():
        for valid_from, per_capita, working_age, pensioner, child in rows:
            if (code, valid_from) in existing_minimums:
                continue
            services.subsistence_minimum_add(
                actor=actor,
                region=regions[code],
                valid_from=valid_from,
                per_capita=Decimal(per_capita),
                working_age=Decimal(working_age),
                pensioner=Decimal(pensioner),
                child=Decimal(child),
                basis=reference.EXAMPLE_BASIS,
                is_example=True,
            )

    existing_years = set(CalendarYear.objects.values_list("year", flat=True))
    existing_days = set(CalendarDay.objects.values_list("date", flat=True))
    for year, (act, _moved) in reference.CALENDARS.items():
        if year not in existing_years:
            services.calendar_year_create(actor=actor, year=year, basis=act)
        for date, kind, name, name_en in reference.calendar_days(year):
            if date not in existing_days:
                services.calendar_day_add(
                    actor=actor, date=date, kind=kind, name=name, name_en=name_en
                )


@step("rules", "Rules in force, subsistence minimums and the working-day calendar", order=15)
def load_demo_rules(ctx: DemoContext) -> None:
    load_rules(ctx.actor)
