"""Correspondence: letters with the original text and its translations kept as they are, the
discrepancies found between versions, and attachments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import ExampleMark, TimeStampedModel

from .agreements import Agreement
from .choices import Direction, LetterStatus
from .events import Event
from .files import stored_file_path
from .partners import Partner, PartnerPerson


class Letter(ExampleMark, TimeStampedModel):
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    dated_on = models.DateField(_("dated"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="letters"
    )
    signatory = models.ForeignKey(
        PartnerPerson,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    signatory_name = models.CharField(_("signatory as signed"), max_length=300, blank=True)
    our_person = models.CharField(_("our addressee or signatory"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), related_name="letters", blank=True
    )
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements"), related_name="letters", blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.REGISTERED
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-dated_on", "-id"]
        indexes = [
            models.Index(fields=["partner", "dated_on"], name="coop_letter_partner_idx"),
            models.Index(fields=["direction", "dated_on"], name="coop_letter_direction_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}".strip() if self.number else self.subject


class LetterVersion(TimeStampedModel):
    """The original or one translation of a letter, kept exactly as it is."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=8)
    is_original = models.BooleanField(_("original"), default=False)
    text = models.TextField(_("text"), blank=True)
    translator = models.CharField(_("translated by"), max_length=200, blank=True)
    file = models.FileField(
        _("scan"), upload_to=stored_file_path, max_length=300, null=True, blank=True
    )

    class Meta:
        verbose_name = _("version of a letter")
        verbose_name_plural = _("versions of letters")
        ordering = ["letter", "-is_original", "language", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"],
                condition=Q(is_original=True),
                name="coop_letter_one_original",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter} [{self.language}]"


class LetterDiscrepancy(models.Model):
    """Versions of a letter that disagree; resolving records which is right and changes none."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="discrepancies"
    )
    description = models.TextField(_("what disagrees"))
    versions = models.ManyToManyField(
        LetterVersion, verbose_name=_("versions"), related_name="discrepancies"
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flagged_at = models.DateTimeField(_("flagged at"))
    resolution = models.TextField(_("resolution"), blank=True)
    correct_version = models.ForeignKey(
        LetterVersion,
        verbose_name=_("correct version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("discrepancy between versions")
        verbose_name_plural = _("discrepancies between versions")
        ordering = ["-flagged_at", "-id"]
        indexes = [models.Index(fields=["resolved_at"], name="coop_discrepancy_open_idx")]

    def __str__(self) -> str:
        return self.description[:80]


class LetterAttachment(TimeStampedModel):
    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=300)
    title = models.CharField(_("title"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("attachment of a letter")
        verbose_name_plural = _("attachments of letters")
        ordering = ["letter", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name
