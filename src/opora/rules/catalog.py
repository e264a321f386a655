"""The rules Opora knows, declared in code: what each number means, its unit and what values
are valid. The numbers themselves are data (``RuleVersion`` rows with valid-from dates): the
code never holds a legal figure, only the knowledge of which figures exist and how to check
them.

A rule is identified by a stable ``code``; a rule stated per form of social service
(``per_service_form``) has one line of versions for each ``ServiceForm``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from opora.core.errors import DomainError, NotFound

KOPECK = Decimal("0.01")


class RuleKind(Enum):
    """What kind of number a rule holds; each kind has its own check and display."""

    MULTIPLIER = "multiplier"  # a positive factor, e.g. 1.5 × the subsistence minimum
    SHARE = "share"  # a part of a whole, in (0, 1]; shown as a percentage
    WORKING_DAYS = "working_days"  # a positive whole number of working days
    YEARS = "years"  # a positive whole number of years
    ROUBLES = "roubles"  # an amount of money: zero or more, to the kopeck

    @property
    def is_whole(self) -> bool:
        return self in (RuleKind.WORKING_DAYS, RuleKind.YEARS)

    @property
    def unit(self) -> Any:
        return {
            RuleKind.MULTIPLIER: gettext_lazy("× subsistence minimum"),
            RuleKind.SHARE: gettext_lazy("%"),
            RuleKind.WORKING_DAYS: gettext_lazy("working days"),
            RuleKind.YEARS: gettext_lazy("years"),
            RuleKind.ROUBLES: gettext_lazy("roubles"),
        }[self]


@dataclass(frozen=True)
class RuleSpec:
    code: str
    kind: RuleKind
    label_ru: str
    label_en: str
    basis: str  # the legal basis, as domain.md §2 names it
    per_service_form: bool = False
    order: int = 100

    @property
    def label(self) -> str:
        """The label in the reader's language: Russian for Russian readers, else English (the
        labels are legal terms, stated here once rather than left to a translator)."""
        return self.label_ru if get_language() == "ru" else self.label_en

    @property
    def unit(self) -> Any:
        return self.kind.unit

    @property
    def unit_after_value(self) -> Any:
        """What follows a value shown with ``shown``: nothing for a share, already a percentage."""
        return "" if self.kind is RuleKind.SHARE else self.kind.unit

    def check(self, value: Decimal) -> Decimal:
        """The value if it is valid for this rule, else a DomainError naming the field."""
        problem = None
        if not value.is_finite():
            problem = _("Enter a number.")
        elif self.kind is RuleKind.MULTIPLIER and value <= 0:
            problem = _("The multiplier must be greater than zero.")
        elif self.kind is RuleKind.SHARE and not (0 < value <= 1):
            problem = _("The share must be greater than 0 and at most 1 (100 %).")
        elif self.kind.is_whole and (value <= 0 or value != value.to_integral_value()):
            problem = _("Enter a whole number greater than zero.")
        elif self.kind is RuleKind.ROUBLES and (value < 0 or value != value.quantize(KOPECK)):
            problem = _("Enter an amount of roubles, zero or more, with at most two decimals.")
        if problem:
            raise DomainError(
                "invalid_rule_value",
                _("The value %(value)s is not valid for «%(rule)s».")
                % {"value": value, "rule": self.label},
                details={"value": [problem]},
            )
        return value

    def shown(self, value: Decimal) -> str:
        """The value as people read it: a share as a percentage, whole numbers without
        decimals."""
        if self.kind is RuleKind.SHARE:
            return f"{_plain(value * 100)} %"
        if self.kind.is_whole:
            return str(int(value))
        if self.kind is RuleKind.ROUBLES:
            text = format(value.quantize(KOPECK), "f")
            return text.replace(".", ",") if get_language() == "ru" else text
        return _plain(value)


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros (1.5, not 1.5000), with the reader's decimal mark."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",") if get_language() == "ru" else text


# The codes other apps use, so a typo is an import error rather than a missing rule.
FREE_THRESHOLD_MULTIPLIER = "free_threshold_multiplier"
FEE_CAP_SHARE = "fee_cap_share"
NEED_DECISION_DAYS = "need_decision_days"
PROGRAMME_DAYS = "programme_days"
PROGRAMME_REVIEW_YEARS = "programme_review_years"
PENSION_AGE_MEN = "pension_age_men"
PENSION_AGE_WOMEN = "pension_age_women"
CHILD_GROUP_AGE = "child_group_age"
CITY_PENSIONER_STANDARD = "city_pensioner_income_standard"
OVERPAYMENT_OFFSET_SHARE = "overpayment_offset_share"

# The registry category whose holder counts as a pensioner whatever the age (a pension by
# disability or an early pension): a code of the registry's data, passed in as a plain value.
PENSIONER_CATEGORY = "pensioner"

_SPECS: dict[str, RuleSpec] = {}


def declare_rule(spec: RuleSpec) -> str:
    _SPECS[spec.code] = spec
    return spec.code


declare_rule(
    RuleSpec(
        FREE_THRESHOLD_MULTIPLIER,
        RuleKind.MULTIPLIER,
        label_ru="Предельная величина среднедушевого дохода для бесплатного обслуживания "
        "(кратность прожиточного минимума группы получателя)",
        label_en="Income limit for free social services (multiple of the subsistence minimum "
        "of the recipient's group)",
        basis="442-ФЗ, ст. 31 ч. 5 / 442-FZ art. 31 part 5",
        order=10,
    )
)
declare_rule(
    RuleSpec(
        FEE_CAP_SHARE,
        RuleKind.SHARE,
        label_ru="Предельный размер ежемесячной платы за социальное обслуживание",
        label_en="Maximum monthly fee for social services",
        basis="442-ФЗ, ст. 32 ч. 4 (на дому, полустационарно), ч. 5 (стационарно) / "
        "442-FZ art. 32 part 4 (at home, semi-residential), part 5 (residential)",
        per_service_form=True,
        order=20,
    )
)
declare_rule(
    RuleSpec(
        NEED_DECISION_DAYS,
        RuleKind.WORKING_DAYS,
        label_ru="Срок решения о признании нуждающимся в социальном обслуживании "
        "(со дня подачи заявления)",
        label_en="Time to decide on recognition as needing social services (from the application)",
        basis="442-ФЗ, ст. 15 / 442-FZ art. 15",
        order=30,
    )
)
declare_rule(
    RuleSpec(
        PROGRAMME_DAYS,
        RuleKind.WORKING_DAYS,
        label_ru="Срок составления индивидуальной программы (ИППСУ) со дня подачи заявления",
        label_en="Time to draw up the individual programme, from the application",
        basis="442-ФЗ, ст. 16 ч. 4 / 442-FZ art. 16 part 4",
        order=40,
    )
)
declare_rule(
    RuleSpec(
        PROGRAMME_REVIEW_YEARS,
        RuleKind.YEARS,
        label_ru="Наибольший срок между пересмотрами индивидуальной программы",
        label_en="Longest time between reviews of the individual programme",
        basis="442-ФЗ, ст. 16 ч. 2 / 442-FZ art. 16 part 2",
        order=50,
    )
)
declare_rule(
    RuleSpec(
        PENSION_AGE_MEN,
        RuleKind.YEARS,
        label_ru="Пенсионный возраст мужчин (группа «пенсионеры» для прожиточного минимума)",
        label_en="Pension age of men (the pensioners' group of the subsistence minimum)",
        basis="400-ФЗ «О страховых пенсиях», ст. 8 / 400-FZ art. 8",
        order=60,
    )
)
declare_rule(
    RuleSpec(
        PENSION_AGE_WOMEN,
        RuleKind.YEARS,
        label_ru="Пенсионный возраст женщин (группа «пенсионеры» для прожиточного минимума)",
        label_en="Pension age of women (the pensioners' group of the subsistence minimum)",
        basis="400-ФЗ «О страховых пенсиях», ст. 8 / 400-FZ art. 8",
        order=61,
    )
)
declare_rule(
    RuleSpec(
        CHILD_GROUP_AGE,
        RuleKind.YEARS,
        label_ru="Возраст, до которого применяется прожиточный минимум для детей",
        label_en="Age below which the children's subsistence minimum applies",
        basis="134-ФЗ «О прожиточном минимуме в РФ»; закон субъекта РФ / 134-FZ; the regional law",
        order=62,
    )
)

declare_rule(
    RuleSpec(
        CITY_PENSIONER_STANDARD,
        RuleKind.ROUBLES,
        label_ru="Городской социальный стандарт минимального дохода неработающего пенсионера",
        label_en="The city's social standard of the minimum income of a non-working pensioner",
        basis="постановление Правительства Москвы / a resolution of the Moscow Government",
        order=70,
    )
)
declare_rule(
    RuleSpec(
        OVERPAYMENT_OFFSET_SHARE,
        RuleKind.SHARE,
        label_ru="Доля ежемесячной выплаты, удерживаемая в счёт излишне выплаченной суммы",
        label_en="Share of a monthly payment withheld against an overpayment",
        basis="акт города о порядке удержания излишне выплаченных сумм / "
        "the city's act on recovering overpaid sums",
        order=80,
    )
)


def rule_specs() -> list[RuleSpec]:
    return sorted(_SPECS.values(), key=lambda s: (s.order, s.code))


def rule_spec(code: str) -> RuleSpec:
    try:
        return _SPECS[code]
    except KeyError:
        raise NotFound(
            "unknown_rule", _("There is no rule with the code %(code)s.") % {"code": code}
        ) from None
