"""Needs partners raise and the aid handed over to them, item by item."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import ExampleMark, TimeStampedModel

from .choices import NeedKind, NeedStatus
from .events import Event
from .letters import Letter
from .partners import Partner


class PartnerNeed(ExampleMark, TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="needs"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NeedKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    raised_on = models.DateField(_("raised on"))
    raised_at_event = models.ForeignKey(
        Event,
        verbose_name=_("raised at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    letter = models.ForeignKey(
        Letter,
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.RAISED
    )
    status_note = models.TextField(_("note on the status"), blank=True)

    class Meta:
        verbose_name = _("partner's need")
        verbose_name_plural = _("partners' needs")
        ordering = ["-raised_on", "-id"]
        indexes = [
            models.Index(fields=["partner", "status"], name="coop_need_partner_idx"),
            models.Index(fields=["status", "raised_on"], name="coop_need_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class AidDelivery(ExampleMark, TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="aid_deliveries"
    )
    need = models.ForeignKey(
        PartnerNeed,
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    handed_over_on = models.DateField(_("handed over on"))
    document = models.CharField(_("act number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("aid delivery")
        verbose_name_plural = _("aid deliveries")
        ordering = ["-handed_over_on", "-id"]
        indexes = [models.Index(fields=["partner", "handed_over_on"], name="coop_aid_partner_idx")]

    def __str__(self) -> str:
        return f"{self.partner} {self.handed_over_on:%Y-%m-%d}"


class AidItem(models.Model):
    delivery = models.ForeignKey(
        AidDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("name"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("item handed over")
        verbose_name_plural = _("items handed over")
        ordering = ["delivery", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="coop_aid_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.quantity} {self.unit}".strip()
