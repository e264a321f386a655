"""Partners (cities, regions, countries, agencies), their people with positions over time, and
the partnerships with the department since their dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.core.models import TimeStampedModel

from .choices import DatePrecision, PartnerKind, PartnershipKind

if TYPE_CHECKING:
    # The models translation.py registers get modeltranslation's MultilingualManager in place
    # of Django's; django-stubs reads that class from the running models and resolves it only
    # from a module mypy has loaded, which this import makes of every model module here (they
    # all import this one). Without it their managers and reverse relations are unresolved
    # (typeddjango/django-stubs#1023).
    import modeltranslation.manager  # noqa: F401


class Partner(TimeStampedModel):
    """A city, region, country or agency the department works with."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166 code of two letters, e.g. FI.")
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("partner", "active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind"], name="coop_partner_kind_idx"),
            models.Index(fields=["country"], name="coop_partner_country_idx"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class PartnerPerson(TimeStampedModel):
    """Someone on the partner's side; positions change over time (``PersonPosition``)."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="people"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    # The Russian spelling of a foreign name, a plain field: it is a name, not a translation.
    full_name_ru = models.CharField(_("full name in Russian"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner's representative")
        verbose_name_plural = _("partners' representatives")
        ordering = ["partner", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    def position_on(self, day: dt.date) -> PersonPosition | None:
        """The position held on ``day``, from the prefetched list when there is one."""
        for position in sorted(self.positions.all(), key=lambda p: p.valid_from, reverse=True):
            if position.valid_from <= day and (
                position.valid_to is None or day <= position.valid_to
            ):
                return position
        return None


class PersonPosition(TimeStampedModel):
    person = models.ForeignKey(
        PartnerPerson, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(_("position"), max_length=300)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="coop_position_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="coop_position_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Partnership(TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="partnerships"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartnershipKind.choices)
    since = models.DateField(pgettext_lazy("partnership", "since"))
    # How much of ``since`` is known: "Moscow–Berlin since 1990" is stored as 1990-01-01, year.
    since_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["partner", "since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("since")),
                name="coop_partnership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_kind_display()}"
