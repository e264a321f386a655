"""A person's address of the events' iCalendar feed: a secret in the URL, so that a calendar
application subscribes without a session. Only the secret's hash is kept; the address is shown
once, when it is made, and stops working when revoked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeedToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    key_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        constraints = [
            # One address in use per person: making a new one revokes the old.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="coop_feed_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return str(_("Calendar feed of %(user)s") % {"user": self.user})
