"""The rules in force for the demo: the figures of the law (``opora.rules.reference``: the
442-FZ numbers, the pension ages and the production calendars), the regions of the seeds and
their subsistence minimums per socio-demographic group. Everything is keyed (a rule by code,
form and date; a region by code; a minimum by region and date; a day by date), so loading
twice adds nothing. The free-of-charge grounds of 442-FZ art. 31 part 1 are law in every
installation and come with the rules app's data migration, not from here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from opora.core.actors import SYSTEM, Actor
from opora.demo.loading import DemoContext, step
from opora.rules import reference, services
from opora.rules.models import CalendarDay, CalendarYear, Region, RuleVersion, SubsistenceMinimum

EXAMPLE_BASIS = "Пример для демонстрации / example for the demo"

# The regional subsistence minimums, roubles a month, per group: per capita, working-age
# population, pensioners, children. domain.md gives no published figures, so every one of them
# is an example (loaded with ``is_example``), shown with the example mark wherever it is used:
# region code → [(valid from, per capita, working-age, pensioners, children)].
SUBSISTENCE_MINIMUMS = {
    "moscow": [
        (dt.date(2025, 1, 1), "24801", "27693", "18400", "19786"),
        (dt.date(2026, 1, 1), "26463", "29548", "19633", "21112"),
    ],
    "lugansk-pr": [
        (dt.date(2025, 1, 1), "15823", "17247", "13609", "15350"),
        (dt.date(2026, 1, 1), "16883", "18403", "14521", "16378"),
    ],
    "smolensk-oblast": [
        (dt.date(2025, 1, 1), "16960", "18486", "14586", "16452"),
        (dt.date(2026, 1, 1), "18096", "19725", "15563", "17554"),
    ],
}


def load_rules(actor: Actor = SYSTEM) -> None:
    """Everything the demo's rules hold, through the services; what exists is left alone. Also
    used by the tests to start from the same rules as the demo."""
    existing_versions = set(RuleVersion.objects.values_list("code", "service_form", "valid_from"))
    for rule in reference.RULE_VALUES:
        if (rule.code, str(rule.service_form), rule.valid_from) in existing_versions:
            continue
        services.rule_version_add(
            actor=actor,
            code=rule.code,
            service_form=rule.service_form,
            valid_from=rule.valid_from,
            value=rule.value,
            basis=rule.basis,
            note=rule.note,
            is_example=rule.is_example,
        )

    regions = {r.code: r for r in Region.objects.all()}
    for code, name, name_en, is_home in reference.REGIONS:
        if code not in regions:
            regions[code] = services.region_create(
                actor=actor, code=code, name=name, name_en=name_en, is_home=is_home
            )

    existing_minimums = set(SubsistenceMinimum.objects.values_list("region__code", "valid_from"))
    for code, rows in SUBSISTENCE_MINIMUMS.items():
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
                basis=EXAMPLE_BASIS,
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
