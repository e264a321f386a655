"""The fee calculator of 442-FZ art. 31–32, as a pure function of its numbers.

- At home and semi-residential: free when the average per-capita income does not exceed the
  income limit (a multiple of the regional subsistence minimum, art. 31(2), (5)); above it the
  monthly fee is at most a share of the excess of the income over the limit (art. 32(4)).
- Residential: the monthly fee is at most a share of the average per-capita income
  (art. 32(5)); the income limit does not make it free.

The multiple, the shares and the minimum are rules in force (see ``services.fee_calculate``);
only the structure above — which base each form's share applies to — is law written as code.
Free service for minors and victims of emergencies (art. 31(1)) does not depend on income and is
outside this calculation.

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

from opora.core.errors import DomainError
from opora.institutions.models import ServiceForm

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
    subsistence_minimum: Decimal
    multiplier: Decimal
    threshold: Decimal  # the income limit for free services
    share: Decimal  # the part of ``base`` the fee may not exceed
    base: Decimal  # what the share applies to: the excess over the limit, or the income
    fee_cap: Decimal  # the monthly fee may not be more than this
    is_free: bool
    # Where the numbers come from, for the explanation (filled by the service).
    # Shown in the reader's language when the explanation is read: the Region itself and the
    # group's lazy label.
    on: dt.date | None = None
    region: Any = None
    group_label: Any = ""
    is_example: bool = False

    @property
    def charged_on_excess(self) -> bool:
        return self.service_form in FORMS_CHARGED_ON_EXCESS

    @property
    def excess(self) -> Decimal:
        return max(self.income - self.threshold, ZERO)

    def explanation(self) -> list[str]:
        """The calculation in sentences, in the active language."""
        form = ServiceForm(self.service_form).label
        numbers = {
            "minimum": _money(self.subsistence_minimum),
            "multiplier": _number(self.multiplier),
            "threshold": _money(self.threshold),
            "income": _money(self.income),
            "excess": _money(self.excess),
            "share": _number(self.share * 100),
            "cap": _money(self.fee_cap),
            "form": form,
            "region": str(self.region or ""),
            "group": str(self.group_label),
            "date": date_format(self.on, "SHORT_DATE_FORMAT") if self.on else "",
        }
        lines = []
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


def _money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return number_format(Decimal(text), use_l10n=True)


def income_limit(*, subsistence_minimum: Decimal, multiplier: Decimal) -> Decimal:
    """The income up to which services at home and semi-residential are free, rounded up to
    the kopeck (it may not be below the multiple of the minimum)."""
    return (multiplier * subsistence_minimum).quantize(KOPECK, rounding=ROUND_CEILING)


def calculate_fee(
    *,
    income: Decimal,
    service_form: str,
    subsistence_minimum: Decimal,
    multiplier: Decimal,
    share: Decimal,
) -> FeeResult:
    """The most a recipient pays a month for ``service_form`` at ``income``."""
    if service_form not in ServiceForm.values:
        raise DomainError(
            "unknown_service_form",
            _("Unknown form of social service."),
            details={"service_form": [str(service_form)]},
        )
    if not income.is_finite() or income < 0:
        raise DomainError(
            "negative_income",
            _("The average per-capita income cannot be negative."),
            details={"income": [_("Enter zero or more.")]},
        )
    income = kopecks(income)
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
