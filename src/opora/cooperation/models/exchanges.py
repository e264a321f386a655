"""Exchanges of specialists: an employee sent to a partner or received from one."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import ExampleMark, TimeStampedModel

from .choices import Direction
from .events import Event
from .partners import Partner


class Exchange(ExampleMark, TimeStampedModel):
    """A specialist sent to a partner or received from one, for an exchange or training."""

    employee = models.ForeignKey(
        "institutions.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="cooperation_exchanges",
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="exchanges"
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchanges",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    training_record = models.ForeignKey(
        "institutions.TrainingRecord",
        verbose_name=_("training record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("exchange of specialists")
        verbose_name_plural = _("exchanges of specialists")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["partner", "starts_on"], name="coop_exchange_partner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="coop_exchange_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.partner}"
