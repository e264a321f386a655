"""Rules in force as versioned data: each value has a valid-from date and stays in force until
the next version of the same rule begins. Nothing here is ever valid "for ever" by being a
literal in code (design.md: legal and policy numbers are data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, TimeStampedModel
from opora.institutions.models import ServiceForm

from .catalog import rule_spec


class Money(TypedDict):
    """The options of an amount of roubles, as a DecimalField takes them."""

    max_digits: int
    decimal_places: int
    validators: list[MinValueValidator]


MONEY: Money = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


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
    roubles a month. The per-capita figure is always set; a region's act may not set a figure
    for every socio-demographic group, and where it does not, the fee calculator falls back to
    the per-capita one and says so."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="minimums", verbose_name=_("region")
    )
    valid_from = models.DateField(_("valid from"))
    per_capita = models.DecimalField(_("per capita"), **MONEY)
    working_age = models.DecimalField(_("working-age population"), null=True, blank=True, **MONEY)
    pensioner = models.DecimalField(_("pensioners"), null=True, blank=True, **MONEY)
    child = models.DecimalField(_("children"), null=True, blank=True, **MONEY)
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

    @property
    def group_figures(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """The working-age, pensioners' and children's figures, in the order of the tables."""
        return (self.working_age, self.pensioner, self.child)

    def for_group(self, group: str) -> Decimal | None:
        """The figure of ``group``; None when the region set none for it."""
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


class FreeGroundTest(models.TextChoices):
    """What makes a recipient qualify for a free-of-charge ground on a date."""

    AGE_UNDER = "age_under", _("younger than an age")
    CATEGORY = "category", _("holds a category")


class FreeGround(BilingualName, TimeStampedModel):
    """A ground on which social services are free whatever the income (442-FZ art. 31 part 1:
    minors, persons affected by emergencies and by armed inter-ethnic conflicts). The list
    grows by amendment and regional law, so each ground is data in force from ``valid_from``
    to ``valid_to`` (inclusive; open-ended when empty). A recipient qualifies by being younger
    than ``age_under`` on the date, or by holding the registry category ``category_code`` on
    the date. The criterion of a ground is never changed: a new criterion is a new period of
    the same code, the old one ended the day before."""

    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    citation = models.CharField(
        _("legal citation"),
        max_length=300,
        help_text=_("As the act is cited in Russian, e.g. «442-ФЗ, ст. 31 ч. 1»."),
    )
    citation_en = models.CharField(
        _("legal citation in English"),
        max_length=300,
        blank=True,
        help_text=_("E.g. «442-FZ art. 31 part 1»."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("The last day; empty: open-ended.")
    )
    age_under = models.PositiveSmallIntegerField(
        _("younger than, years"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(150)],
        help_text=_("Free for a recipient younger than this on the date."),
    )
    category_code = models.SlugField(
        _("category code"),
        max_length=40,
        blank=True,
        help_text=_("Free for a recipient who holds this registry category on the date."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("free-of-charge ground")
        verbose_name_plural = _("free-of-charge grounds")
        ordering = ["valid_from", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="rules_one_ground_period_per_day"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rules_ground_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(Q(age_under__isnull=False) & Q(category_code=""))
                | (Q(age_under__isnull=True) & ~Q(category_code="")),
                name="rules_ground_has_one_test",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.shown_citation})"

    @property
    def test(self) -> str:
        return FreeGroundTest.AGE_UNDER if self.age_under is not None else FreeGroundTest.CATEGORY

    @property
    def shown_citation(self) -> str:
        """The citation in the reader's language: Russian for Russian readers, else English
        when there is one."""
        if get_language() != "ru" and self.citation_en:
            return self.citation_en
        return self.citation

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def applies_to(self, *, age: int | None, categories: Iterable[str] | None) -> bool:
        """Whether a recipient of ``age`` (full years on the date) holding ``categories`` on
        the date qualifies; an unknown fact (None) never qualifies."""
        if self.age_under is not None:
            return age is not None and age < self.age_under
        return categories is not None and self.category_code in set(categories)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.age_under is None and not self.category_code:
            errors["age_under"] = [_("Enter an age or a category code.")]
        if self.age_under is not None and self.category_code:
            errors["category_code"] = [_("A ground is either by age or by category, not both.")]
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("The ground cannot end before it begins.")]
        if not errors and self.code and self.valid_from:
            clash = self.overlapping().first()
            if clash is not None:
                errors["valid_from"] = [
                    _("The ground %(code)s is already in force from %(start)s to %(end)s.")
                    % {
                        "code": self.code,
                        "start": clash.valid_from.strftime("%d.%m.%Y"),
                        "end": clash.valid_to.strftime("%d.%m.%Y") if clash.valid_to else "…",
                    }
                ]
        if errors:
            raise ValidationError(errors)

    def overlapping(self) -> models.QuerySet[FreeGround]:
        """Other periods of the same code that share a day with this one."""
        qs = FreeGround.objects.filter(code=self.code).exclude(pk=self.pk)
        qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            qs = qs.filter(valid_from__lte=self.valid_to)
        return qs.order_by("valid_from")
