"""The catalogue of social services (442-FZ art. 20) and the register of their providers
(art. 25): kinds, services with the forms they are given in, tariffs valid from a date, and
which institution gives which service, where, in which form and at which tariff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, TimeStampedModel
from opora.institutions.models import ServiceForm

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MINUTES_IN_A_DAY = 24 * 60
FORM_ORDER = {form.value: index for index, form in enumerate(ServiceForm)}


class Regime(models.TextChoices):
    """How often a service is given (the seeds: "permanent, periodic or one-time")."""

    PERMANENT = "permanent", _("permanent")
    PERIODIC = "periodic", _("periodic")
    ONE_TIME = "one_time", _("one-time")


class PeriodicityUnit(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class ServiceUnit(models.TextChoices):
    """What one unit of a service is, the unit its tariff is stated per."""

    SERVICE = "service", _("one service")
    HOUR = "hour", _("one hour")
    VISIT = "visit", _("one visit")
    DAY = "day", _("one day")
    SET = "set", _("one set")


class ServiceKind(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """A kind of social service (442-FZ art. 20), as reference data loaded by a migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order in the list"), default=0)
    # Urgent social services (art. 21) are given at once, without an individual programme.
    is_urgent = models.BooleanField(_("urgent services"), default=False)

    class Meta:
        verbose_name = _("kind of social service")
        verbose_name_plural = _("kinds of social service")
        ordering = ["order", "name"]


class Service(BilingualName, TimeStampedModel):
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z][0-9A-Za-z.\-]*$",
                _("Use Latin letters, digits, dots and hyphens, e.g. 1.08."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="services", verbose_name=_("kind")
    )
    regime = models.CharField(_("regime"), max_length=16, choices=Regime.choices)
    periodicity_times = models.PositiveSmallIntegerField(
        _("times"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    periodicity_unit = models.CharField(
        _("per"), max_length=8, choices=PeriodicityUnit.choices, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=8, choices=ServiceUnit.choices, default=ServiceUnit.SERVICE
    )
    standard_duration_minutes = models.PositiveIntegerField(
        _("standard duration, minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_IN_A_DAY)],
    )
    urgent_allowed = models.BooleanField(_("may be given as an urgent service"), default=False)
    # A service is retired, never deleted: programmes and deliveries refer to it.
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    # Lower-cased names and code, so that a search finds Cyrillic text on SQLite too.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("social service")
        verbose_name_plural = _("social services")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(regime="periodic", periodicity_times__isnull=False) & ~Q(periodicity_unit="")
                )
                | (~Q(regime="periodic") & Q(periodicity_times__isnull=True, periodicity_unit="")),
                name="catalogue_periodicity_only_when_periodic",
                violation_error_message=_(
                    "A periodic service states how often; other regimes do not."
                ),
            )
        ]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, StrPromise] = {}
        if self.regime == Regime.PERIODIC:
            if not self.periodicity_times:
                errors["periodicity_times"] = _("State how many times.")
            if not self.periodicity_unit:
                errors["periodicity_unit"] = _("State per day, week, month or year.")
        elif self.periodicity_times or self.periodicity_unit:
            errors["regime"] = _("Only a periodic service states how often it is given.")
        if self.kind_id and self.kind.is_urgent and not self.urgent_allowed:
            errors["urgent_allowed"] = _("A service of the urgent kind is given as urgent.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_description(self) -> str:
        if get_language() != "ru" and self.description_en:
            return self.description_en
        return self.description

    @property
    def forms(self) -> list[str]:
        """The forms the service is given in, in the order of the law (home, semi-residential,
        residential); reads the prefetched links when there are any."""
        return sorted((link.form for link in self.form_links.all()), key=FORM_ORDER.__getitem__)

    def form_labels(self) -> list[str]:
        return [str(ServiceForm(form).label) for form in self.forms]

    def regime_label(self) -> str:
        """ "periodic, 2 times per week" in the reader's language."""
        if self.regime != Regime.PERIODIC or not self.periodicity_times:
            return str(self.get_regime_display())
        how_often = ngettext(
            "%(count)s time %(per)s", "%(count)s times %(per)s", self.periodicity_times
        ) % {"count": self.periodicity_times, "per": self.get_periodicity_unit_display()}
        return f"{self.get_regime_display()}, {how_often}"


class ServiceFormLink(models.Model):
    """One form a service is given in: a row per service and form, portable to every database."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="form_links")
    form = models.CharField(_("form"), max_length=16, choices=ServiceForm.choices)

    class Meta:
        verbose_name = _("form of a service")
        verbose_name_plural = _("forms of services")
        constraints = [
            models.UniqueConstraint(fields=["service", "form"], name="catalogue_service_form_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_form_display()}"


def period_covers(valid_from: dt.date, valid_to: dt.date | None, day: dt.date) -> bool:
    return valid_from <= day and (valid_to is None or day <= valid_to)


class Tariff(TimeStampedModel):
    """The price of one unit of a service, in force from ``valid_from`` to ``valid_to`` (open
    when empty). A tariff without a form applies to every form that has none of its own."""

    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="tariffs",
        verbose_name=pgettext_lazy("social service", "service"),
    )
    form = models.CharField(_("form"), max_length=16, choices=ServiceForm.choices, blank=True)
    price = models.DecimalField(_("price per unit, roubles"), max_digits=12, decimal_places=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["service", "form", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "form", "valid_from"], name="catalogue_tariff_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=Decimal("0")), name="catalogue_tariff_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="catalogue_tariff_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.price} ({self.valid_from:%d.%m.%Y})"

    def covers(self, day: dt.date) -> bool:
        return period_covers(self.valid_from, self.valid_to, day)


class ProviderEntry(TimeStampedModel):
    """An entry of the register of providers (442-FZ art. 25): an institution gives a service in
    a form, in a district, from a date, at its own price or the catalogue tariff, for so many
    recipients at a time. A centre with branches has one entry per district it serves."""

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="provider_entries",
        verbose_name=_("institution"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="provider_entries",
        verbose_name=pgettext_lazy("social service", "service"),
    )
    form = models.CharField(_("form"), max_length=16, choices=ServiceForm.choices)
    district = models.ForeignKey(
        "institutions.District",
        on_delete=models.PROTECT,
        related_name="provider_entries",
        verbose_name=_("district where the service is given"),
    )
    # Empty: the catalogue tariff in force applies.
    price = models.DecimalField(
        _("own price per unit, roubles"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("recipients at a time"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("entry of the register of providers")
        verbose_name_plural = _("register of providers")
        ordering = ["institution", "service", "form"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "service", "form", "district", "valid_from"],
                name="catalogue_provider_entry_once_per_day",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=Decimal("0")),
                name="catalogue_provider_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="catalogue_provider_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "valid_from"], name="catalogue_provider_district"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.service.code} ({self.get_form_display()})"

    def covers(self, day: dt.date) -> bool:
        return period_covers(self.valid_from, self.valid_to, day)
