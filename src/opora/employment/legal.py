"""The legal numbers of employment services (565-FZ), declared as rules of ``opora.rules``:
the code knows which numbers exist, the values are dated versions read with
``value_in_force``. The versions shipped are loaded by this app's data migration."""

from __future__ import annotations

from opora.rules.catalog import RuleKind, RuleSpec, declare_rule

BENEFIT_MINIMUM = "unemployment_benefit_minimum"
BENEFIT_MAXIMUM = "unemployment_benefit_maximum"
SEEKER_MIN_AGE = "job_seeker_min_age"
UNEMPLOYED_MIN_AGE = "unemployed_min_age"

# The bounds are set each year by a decree within 565-FZ.
BENEFIT_BASIS = "565-ФЗ; постановление Правительства РФ / 565-FZ; a decree of the Government"

declare_rule(
    RuleSpec(
        BENEFIT_MINIMUM,
        RuleKind.ROUBLES,
        label_ru="Минимальная величина пособия по безработице",
        label_en="Minimum unemployment benefit",
        basis=BENEFIT_BASIS,
        order=200,
    )
)
declare_rule(
    RuleSpec(
        BENEFIT_MAXIMUM,
        RuleKind.ROUBLES,
        label_ru="Максимальная величина пособия по безработице",
        label_en="Maximum unemployment benefit",
        basis=BENEFIT_BASIS,
        order=201,
    )
)
declare_rule(
    RuleSpec(
        SEEKER_MIN_AGE,
        RuleKind.YEARS,
        label_ru="Возраст, с которого гражданин регистрируется как ищущий работу",
        label_en="Age from which a person registers as a job seeker",
        basis="565-ФЗ; ТК РФ, ст. 63 / 565-FZ; Labour Code art. 63",
        order=210,
    )
)
declare_rule(
    RuleSpec(
        UNEMPLOYED_MIN_AGE,
        RuleKind.YEARS,
        label_ru="Возраст, с которого гражданин признаётся безработным",
        label_en="Age from which a person is recognised as unemployed",
        basis="565-ФЗ «О занятости населения в РФ» / 565-FZ on employment",
        order=211,
    )
)
