"""The fee calculator of 442-FZ art. 31–32, as pure functions of its numbers.

- Free whatever the income on a ground of art. 31 part 1 (minors; persons affected by
  emergencies and armed inter-ethnic conflicts; the grounds are dated data, ``FreeGround``):
  ``free_of_charge``. The income is not considered.
- At home and semi-residential: free when the average per-capita income does not exceed the
  income limit, a multiple of the regional subsistence minimum of the recipient's
  socio-demographic group (art. 31 parts 2 and 5); above it the monthly fee is at most a share
  of the excess of the income over the limit (art. 32 part 4).
- Residential: the monthly fee is at most a share of the average per-capita income
  (art. 32 part 5); the income limit does not make it free.

The multiple, the shares, the minimum and the grounds are data in force (see
``services.fee_calculate``, which also chooses the group); only the structure above — which
base each form's share applies to — is law written as code.

Rounding to the kopeck always goes the recipient's way: the income limit is rounded up (the law
says it may not be *below* the multiple) and the fee cap down (the fee may not *exceed* the
share). The income entered is rounded half up to the kopeck.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opora.core.errors import DomainError
from opora.institutions.models import ServiceForm

from .models import SubsistenceGroup
from .recipients import GroupChoice, GroupReason

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")

# Forms whose fee is a share of the income above the limit (and free up to it); any other form
# (residential) pays a share of the whole income.
FORMS_CHARGED_ON_EXCESS = frozenset({ServiceForm.HOME, ServiceForm.SEMI_RESIDENTIAL})


def kopecks(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FeeResult:
    service_form: str
    income: Decimal  # average per-capita income, roubles a month
    # The numbers of the income test; None when a free-of-charge ground makes it moot.
    subsistence_minimum: Decimal | None
    multiplier: Decimal | None
    threshold: Decimal | None  # the income limit for free services
    share: Decimal | None  # the part of ``base`` the fee may not exceed
    base: Decimal  # what the share applies to: the excess over the limit, or the income
    fee_cap: Decimal  # the monthly fee may not be more than this
    is_free: bool
    # Where the numbers come from, for the explanation (filled by the service).
    # Shown in the reader's language when the explanation is read: the Region itself, the
    # group's lazy label and the FreeGround itself.
    on: dt.date | None = None
    region: Any = None
    group_label: Any = ""
    is_example: bool = False
    # The ground of art. 31 part 1 that makes the services free (a FreeGround), if any.
    free_ground: Any = None
    # Which grounds could be checked: those by age need the age, those by category the
    # categories held on the date. None: the service did not say (the pure function alone).
    age_checked: bool | None = None
    categories_checked: bool | None = None
    # The group whose minimum is used, how it was chosen, and the group wanted when the
    # region set no figure for it (the per-capita one is used instead).
    group: str = SubsistenceGroup.PER_CAPITA
    group_choice: GroupChoice | None = None
    fell_back_from: str = ""

    @property
    def charged_on_excess(self) -> bool:
        return self.service_form in FORMS_CHARGED_ON_EXCESS

    @property
    def is_free_by_ground(self) -> bool:
        return self.free_ground is not None

    @property
    def _nothing_known(self) -> bool:
        """The caller said the recipient's facts were wanted but gave none of them."""
        return self.age_checked is False and self.categories_checked is False

    @property
    def excess(self) -> Decimal:
        if self.threshold is None:
            return ZERO
        return max(self.income - self.threshold, ZERO)

    def explanation(self) -> list[str]:
        """The calculation in sentences, in the active language."""
        form = ServiceForm(self.service_form).label
        date = date_format(self.on, "SHORT_DATE_FORMAT") if self.on else ""
        if self.free_ground is not None:
            ground = self.free_ground
            return [
                _("Free: %(ground)s — %(citation)s.")
                % {"ground": _lowered(ground.display_name), "citation": ground.shown_citation},
                _(
                    "Services in the form «%(form)s» are free on this ground whatever the "
                    "income; the income is not considered."
                )
                % {"form": form},
            ]
        numbers = {
            "minimum": _money(self.subsistence_minimum),
            "multiplier": _number(self.multiplier),
            "threshold": _money(self.threshold),
            "income": _money(self.income),
            "excess": _money(self.excess),
            "share": _number(self.share * 100 if self.share is not None else None),
            "cap": _money(self.fee_cap),
            "form": form,
            "region": str(self.region or ""),
            "group": str(self.group_label),
            "date": date,
        }
        lines = [*self._grounds_lines(date), *self._group_lines(date)]
        if self.region is not None:
            lines.append(
                _(
                    "The subsistence minimum in %(region)s on %(date)s (%(group)s) is "
                    "%(minimum)s ₽ a month."
                )
                % numbers
            )
        if not self.charged_on_excess:
            lines.append(
                _(
                    "Services in the form «%(form)s» are not free by income: the monthly fee is "
                    "at most %(share)s %% of the average per-capita income %(income)s ₽, that "
                    "is %(cap)s ₽."
                )
                % numbers
            )
        else:
            lines.append(
                _(
                    "The income limit for free services is %(multiplier)s × %(minimum)s ₽ = "
                    "%(threshold)s ₽."
                )
                % numbers
            )
            if self.is_free:
                lines.append(
                    _(
                        "The average per-capita income %(income)s ₽ does not exceed the limit "
                        "%(threshold)s ₽: services in the form «%(form)s» are free."
                    )
                    % numbers
                )
            else:
                lines.append(
                    _(
                        "The average per-capita income %(income)s ₽ exceeds the limit by "
                        "%(excess)s ₽; the monthly fee for services in the form «%(form)s» is "
                        "at most %(share)s %% of that excess, that is %(cap)s ₽."
                    )
                    % numbers
                )
        lines.append(
            _(
                "The fee itself is set from the tariffs of the services given and may be lower "
                "than this maximum."
            )
        )
        if self.is_example:
            lines.append(
                _(
                    "Some of these figures are examples: check them against the law in force "
                    "before relying on the result."
                )
            )
        return lines

    def _grounds_lines(self, date: str) -> list[str]:
        """What was checked of the grounds for free services whatever the income."""
        if self.age_checked is None and self.categories_checked is None:
            return []
        if self._nothing_known:
            return [
                _(
                    "The recipient's age and categories are not given: the grounds for free "
                    "services whatever the income (a minor, a person affected by an emergency, "
                    "…) were not checked, and the per-capita subsistence minimum is used."
                )
            ]
        lines = [
            _("No ground for free services whatever the income applies on %(date)s.")
            % {"date": date}
        ]
        if not self.age_checked:
            lines.append(
                _("The recipient's age is not given: the grounds by age were not checked.")
            )
        if not self.categories_checked:
            lines.append(
                _(
                    "The recipient's categories are not given: the grounds by category were "
                    "not checked."
                )
            )
        return lines

    def _group_lines(self, date: str) -> list[str]:
        """How the group of the subsistence minimum was chosen, and any fall-back."""
        choice = self.group_choice
        lines: list[str] = []
        if choice is not None and not (
            choice.reason is GroupReason.UNKNOWN and self._nothing_known
        ):
            wanted = str(SubsistenceGroup(choice.group).label)
            values = {
                "age": choice.age,
                "date": date,
                "limit": _number(choice.limit),
                "group": wanted,
            }
            count = choice.age if choice.age is not None else 0
            sentence = {
                GroupReason.GIVEN: lambda: _(
                    "The subsistence minimum of the group «%(group)s» was chosen by hand."
                ),
                GroupReason.CHILD_AGE: lambda: ngettext(
                    "The recipient is %(age)s year old on %(date)s, younger than %(limit)s: "
                    "the group is «%(group)s».",
                    "The recipient is %(age)s years old on %(date)s, younger than %(limit)s: "
                    "the group is «%(group)s».",
                    count,
                ),
                GroupReason.PENSIONER_CATEGORY: lambda: _(
                    "The recipient holds the pensioner category on %(date)s: the group is "
                    "«%(group)s»."
                ),
                GroupReason.PENSION_AGE: lambda: ngettext(
                    "The recipient is %(age)s year old on %(date)s, not younger than the "
                    "pension age %(limit)s: the group is «%(group)s».",
                    "The recipient is %(age)s years old on %(date)s, not younger than the "
                    "pension age %(limit)s: the group is «%(group)s».",
                    count,
                ),
                GroupReason.WORKING_AGE: lambda: ngettext(
                    "The recipient is %(age)s year old on %(date)s, younger than the pension "
                    "age %(limit)s: the group is «%(group)s».",
                    "The recipient is %(age)s years old on %(date)s, younger than the pension "
                    "age %(limit)s: the group is «%(group)s».",
                    count,
                ),
                GroupReason.SEX_UNKNOWN: lambda: ngettext(
                    "The recipient is %(age)s year old on %(date)s, between the pension ages of "
                    "women and men, and the sex is not given: the per-capita subsistence "
                    "minimum is used.",
                    "The recipient is %(age)s years old on %(date)s, between the pension ages "
                    "of women and men, and the sex is not given: the per-capita subsistence "
                    "minimum is used.",
                    count,
                ),
                GroupReason.UNKNOWN: lambda: _(
                    "The recipient's age is not given, so the socio-demographic group is not "
                    "known: the per-capita subsistence minimum is used."
                ),
            }[choice.reason]()
            lines.append(sentence % values)
        if self.fell_back_from:
            lines.append(
                _(
                    "%(region)s sets no subsistence minimum for the group «%(group)s» on "
                    "%(date)s: the per-capita minimum is used instead."
                )
                % {
                    "region": str(self.region or ""),
                    "group": str(SubsistenceGroup(self.fell_back_from).label),
                    "date": date,
                }
            )
        return lines


def _lowered(name: str) -> str:
    """A name that begins a label («A minor», «Несовершеннолетний») as it reads inside a
    sentence («a minor»); an abbreviation at the start («ЧС …») is left as it is."""
    first = name.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or not first[1:].isupper()):
        return name[0].lower() + name[1:]
    return name


def _money(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return number_format(Decimal(text), use_l10n=True)


def income_limit(*, subsistence_minimum: Decimal, multiplier: Decimal) -> Decimal:
    """The income up to which services at home and semi-residential are free, rounded up to
    the kopeck (it may not be below the multiple of the minimum)."""
    return (multiplier * subsistence_minimum).quantize(KOPECK, rounding=ROUND_CEILING)


def checked_form(service_form: str) -> str:
    if service_form not in ServiceForm.values:
        raise DomainError(
            "unknown_service_form",
            _("Unknown form of social service."),
            details={"service_form": [str(service_form)]},
        )
    return service_form


def checked_income(income: Decimal) -> Decimal:
    """The income rounded to the kopeck, or a DomainError when it is not a number or negative."""
    if not income.is_finite() or income < 0:
        raise DomainError(
            "negative_income",
            _("The average per-capita income cannot be negative."),
            details={"income": [_("Enter zero or more.")]},
        )
    return kopecks(income)


def calculate_fee(
    *,
    income: Decimal,
    service_form: str,
    subsistence_minimum: Decimal,
    multiplier: Decimal,
    share: Decimal,
) -> FeeResult:
    """The most a recipient pays a month for ``service_form`` at ``income``, by the income
    test (no ground of art. 31 part 1 applies)."""
    checked_form(service_form)
    income = checked_income(income)
    threshold = income_limit(subsistence_minimum=subsistence_minimum, multiplier=multiplier)
    base = max(income - threshold, ZERO) if service_form in FORMS_CHARGED_ON_EXCESS else income
    fee_cap = (share * base).quantize(KOPECK, rounding=ROUND_FLOOR)
    return FeeResult(
        service_form=service_form,
        income=income,
        subsistence_minimum=subsistence_minimum,
        multiplier=multiplier,
        threshold=threshold,
        share=share,
        base=base,
        fee_cap=fee_cap,
        # Free when there is nothing to take a share of: an income within the limit (at home,
        # semi-residential) or no income at all.
        is_free=base == 0,
    )


def free_of_charge(*, income: Decimal, service_form: str, ground: Any) -> FeeResult:
    """Free whatever the income, on ``ground`` (a ground of art. 31 part 1 that applies to the
    recipient on the date): a zero fee, the income kept as entered."""
    checked_form(service_form)
    return FeeResult(
        service_form=service_form,
        income=checked_income(income),
        subsistence_minimum=None,
        multiplier=None,
        threshold=None,
        share=None,
        base=ZERO,
        fee_cap=ZERO,
        is_free=True,
        free_ground=ground,
    )
