"""Rules in force as versioned data: each value has a valid-from date and stays in force until
the next version of the same rule begins. Nothing here is ever valid "for ever" by being a
literal in code (design.md: legal and policy numbers are data).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, TimeStampedModel
from opora.institutions.models import ServiceForm

from .catalog import rule_spec

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class RuleVersion(TimeStampedModel):
    """One value of a rule declared in ``catalog.py``, in force from ``valid_from`` until the
    day before the next version of the same rule (and form of service) begins."""

    code = models.CharField(_("rule"), max_length=64, db_index=True)
    # Only for rules stated per form of service (the fee caps); blank for the others.
    service_form = models.CharField(
        _("form of social service"), max_length=32, choices=ServiceForm.choices, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_example = models.BooleanField(_("example value"), default=False)

    class Meta:
        verbose_name = _("version of a rule")
        verbose_name_plural = _("versions of rules")
        ordering = ["code", "service_form", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "service_form", "valid_from"], name="rules_one_version_per_day"
            )
        ]

    def __str__(self) -> str:
        spec = rule_spec(self.code)
        label = spec.label
        if self.service_form:
            label = f"{label} ({ServiceForm(self.service_form).label})"
        return f"{label}: {spec.shown(self.value)}, {self.valid_from:%d.%m.%Y}"

    @property
    def spec(self):
        return rule_spec(self.code)

    @property
    def shown_value(self) -> str:
        return self.spec.shown(self.value)


class Region(BilingualName, TimeStampedModel):
    """A constituent entity of the Russian Federation: subsistence minimums are set per region."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # The department's own region: the fee calculator uses it unless told otherwise.
    is_home = models.BooleanField(_("the department's region"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["-is_home", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="rules_one_home_region"
            )
        ]


class SubsistenceGroup(models.TextChoices):
    """The socio-demographic groups a regional subsistence minimum is set for (178-FZ)."""

    PER_CAPITA = "per_capita", _("per capita")
    WORKING_AGE = "working_age", _("working-age population")
    PENSIONER = "pensioner", _("pensioners")
    CHILD = "child", _("children")


class SubsistenceMinimum(TimeStampedModel):
    """The regional subsistence minimum (прожиточный минимум) from a date, per group, in
    roubles a month."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="minimums", verbose_name=_("region")
    )
    valid_from = models.DateField(_("valid from"))
    per_capita = models.DecimalField(_("per capita"), **MONEY)
    working_age = models.DecimalField(_("working-age population"), **MONEY)
    pensioner = models.DecimalField(_("pensioners"), **MONEY)
    child = models.DecimalField(_("children"), **MONEY)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example value"), default=False)

    class Meta:
        verbose_name = _("subsistence minimum")
        verbose_name_plural = _("subsistence minimums")
        ordering = ["region__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "valid_from"], name="rules_one_minimum_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}, {self.valid_from:%d.%m.%Y}"

    def for_group(self, group: str):
        return getattr(self, SubsistenceGroup(group).value)


class CalendarYear(TimeStampedModel):
    """The working-day calendar of one year is loaded: without it, deadlines in that year are
    refused rather than guessed from the weekdays."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_example = models.BooleanField(_("example values"), default=False)

    class Meta:
        verbose_name = _("working-day calendar")
        verbose_name_plural = _("working-day calendars")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("public holiday")
    DAY_OFF = "day_off", _("weekday off (moved day off)")
    WORKING = "working", _("working weekend day (moved working day)")


class CalendarDay(BilingualName, TimeStampedModel):
    """A day that differs from the plain Monday-to-Friday week: a public holiday, a weekday
    made a day off, or a Saturday or Sunday made a working day."""

    calendar = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        label = self.display_name
        return f"{self.date:%d.%m.%Y} {label}".strip() if label else f"{self.date:%d.%m.%Y}"

    @property
    def is_day_off(self) -> bool:
        return self.kind != DayKind.WORKING
