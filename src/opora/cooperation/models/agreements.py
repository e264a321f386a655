"""Agreements and programmes of cooperation: their parties, versions (the original and each
amendment) with a file per language, and the items of their action plans."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import ExampleMark, TimeStampedModel

from .choices import ActionStatus, AgreementKind, AgreementStatus, DatePrecision
from .files import stored_file_path
from .partners import Partner


class Agreement(ExampleMark, TimeStampedModel):
    number = models.CharField(_("number"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=500)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    # How much of the dates of signing and of the start the sources give ("signed in spring
    # 2018"): they are stored as the first day of it and shown as the sources give them.
    dates_precision = models.CharField(
        _("precision of the dates"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    renewal_notice_days = models.PositiveSmallIntegerField(
        _("renewal reminder, days before the end"), default=90
    )
    # What people set; "expired" is also computed by the selectors from ``valid_to``.
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("parties"),
        through="AgreementParty",
        related_name="agreements",
        blank=True,
    )

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-valid_from", "-id"]
        indexes = [
            models.Index(fields=["status", "valid_to"], name="coop_agreement_status_idx"),
            models.Index(fields=["signed_on"], name="coop_agreement_signed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="coop_agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    @property
    def renewal_notice_on(self) -> dt.date | None:
        if self.valid_to is None:
            return None
        return self.valid_to - dt.timedelta(days=self.renewal_notice_days)


class AgreementParty(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    # Empty: our department.
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to agreements")
        ordering = ["agreement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"], name="coop_agreement_party_once"
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(partner__isnull=True),
                name="coop_agreement_department_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.partner) if self.partner_id else str(_("our department"))


class AgreementVersion(TimeStampedModel):
    """The original (number 1) and each amendment."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("version of an agreement")
        verbose_name_plural = _("versions of agreements")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="coop_agreement_version_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="coop_agreement_version_gte1"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} ({self.number})"


class AgreementFile(TimeStampedModel):
    """The text of a version in one language, as a file."""

    version = models.ForeignKey(
        AgreementVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="files"
    )
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("file of an agreement")
        verbose_name_plural = _("files of agreements")
        ordering = ["version", "language", "id"]

    def __str__(self) -> str:
        return self.original_name


class ActionItem(TimeStampedModel):
    """One item of an agreement's action plan."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=500)
    owner = models.CharField(_("responsible"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # "app_label.Model": django-stubs resolves no lazy reference without its app (Event
    # imports this module, so the class itself cannot be named here).
    events = models.ManyToManyField(
        "cooperation.Event", verbose_name=_("events"), related_name="action_items", blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["agreement", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="coop_action_due_idx")]

    def __str__(self) -> str:
        return self.title
