"""Casework by 442-FZ: an application (a case) of a person to an institution, the assessment of
her circumstances, the decision on recognition as needing social services, the individual
programme (ИППСУ) in versions, and the services delivered against it, urgent ones included."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.catalogue.models import PeriodicityUnit
from opora.core.models import BilingualName, TimeStampedModel
from opora.institutions.models import ServiceForm
from opora.rules.models import SubsistenceGroup

MINUTES_IN_A_DAY = 24 * 60


class ApplicationGround(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """A circumstance on which a person may be recognised as needing social services
    (442-FZ art. 15, and the grounds a region adds): reference data, loaded by a migration."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_en = models.CharField(_("name in English"), max_length=400, blank=True)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order in the list"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("ground for social services")
        verbose_name_plural = _("grounds for social services")
        ordering = ["order", "code"]


class AssessmentScale(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """A structured scale of the ability to care for oneself (Barthel, or the region's own):
    items with scored options and bands of the total that propose a care level."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("assessment scale")
        verbose_name_plural = _("assessment scales")
        ordering = ["code"]


class ScaleItem(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """One question of a scale. ``options`` is a list of ``{"points", "label", "label_en"}``."""

    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    options = models.JSONField(_("options"), default=list)

    class Meta:
        verbose_name = _("item of a scale")
        verbose_name_plural = _("items of a scale")
        ordering = ["scale", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="casework_scale_item_once")
        ]

    def points(self) -> list[int]:
        return [int(option["points"]) for option in self.options]

    def clean(self) -> None:
        # Entered by hand in the admin site: the assessment form and the score read them.
        message = _(
            'Options are a list of answers such as {"points": 5, "label": "…", "label_en": "…"} '
            "with whole, different points and a label each."
        )
        options = self.options
        if not isinstance(options, list) or not options:
            raise ValidationError({"options": message})
        points = []
        for option in options:
            if not isinstance(option, dict) or not str(option.get("label", "")).strip():
                raise ValidationError({"options": message})
            value = option.get("points")
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError({"options": message})
            points.append(value)
        if len(set(points)) != len(points):
            raise ValidationError({"options": message})


class CareLevel(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """A band of a scale's total, ``min_score``–``max_score`` inclusive, and the care it
    proposes."""

    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    min_score = models.IntegerField(_("lowest score"))
    max_score = models.IntegerField(_("highest score"))
    proposed_form = models.CharField(
        _("proposed form"), max_length=16, choices=ServiceForm.choices, blank=True
    )
    visits_per_week = models.PositiveSmallIntegerField(
        _("home visits a week"), default=0, validators=[MaxValueValidator(14)]
    )

    class Meta:
        verbose_name = _("care level")
        verbose_name_plural = _("care levels")
        ordering = ["scale", "min_score"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="casework_care_level_once"),
            models.CheckConstraint(
                condition=Q(max_score__gte=models.F("min_score")),
                name="casework_care_level_band_ordered",
            ),
        ]


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person at the institution")
    MY_DOCUMENTS = "my_documents", _("at a “My Documents” centre")
    PORTAL = "portal", _("online, through the portal")
    PHONE = "phone", _("by phone")
    REFERRAL = "referral", _("referral from another body")


class Applicant(models.TextChoices):
    SELF = "self", _("the person herself")
    REPRESENTATIVE = "representative", _("a representative")


class CaseStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("status of a case", "applied")
    ASSESSED = "assessed", _("assessed")
    RECOGNISED = "recognised", _("recognised as needing services")
    REFUSED = "refused", _("refused")
    PROGRAMME_DRAFTED = "programme_drafted", _("programme drafted")
    AGREED = "agreed", _("programme agreed")
    IN_SERVICE = "in_service", _("in service")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


# Statuses in which a case is open: it has a next step and, usually, a deadline.
OPEN_STATUSES = tuple(s for s in CaseStatus if s not in (CaseStatus.REFUSED, CaseStatus.CLOSED))
# Statuses in which a recipient counts against her social worker's caseload.
CASELOAD_STATUSES = (
    CaseStatus.PROGRAMME_DRAFTED,
    CaseStatus.AGREED,
    CaseStatus.IN_SERVICE,
    CaseStatus.SUSPENDED,
)


class Case(TimeStampedModel):
    """A person's application to an institution and everything that follows from it."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("institution"),
        db_index=False,  # the indexes below begin with it
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    applicant = models.CharField(
        _("who applied"), max_length=16, choices=Applicant.choices, default=Applicant.SELF
    )
    representative_name = models.CharField(_("representative"), max_length=300, blank=True)
    representative_basis = models.CharField(
        _("representative's authority"), max_length=300, blank=True
    )
    referred_by = models.CharField(_("referred by"), max_length=300, blank=True)
    applied_on = models.DateField(_("applied on"))
    grounds = models.ManyToManyField(
        ApplicationGround, related_name="cases", verbose_name=_("grounds"), blank=True
    )
    requested_services = models.ManyToManyField(
        "catalogue.Service",
        related_name="requested_in_cases",
        verbose_name=_("services asked for"),
        blank=True,
    )
    requested_form = models.CharField(
        _("form asked for"), max_length=16, choices=ServiceForm.choices, blank=True
    )
    circumstances = models.TextField(_("circumstances"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.APPLIED
    )
    status_since = models.DateField(_("status since"))
    # The working days of the rules counted from the application, both of them: the decision
    # (442-FZ art. 15 part 2) and, once the person is recognised, the individual programme
    # (art. 16 part 4) — not counted from the decision.
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    programme_due = models.DateField(_("programme due"), null=True, blank=True)
    # The deadline of the step the case waits for now; empty when nothing is due.
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    worker = models.ForeignKey(
        "institutions.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("social worker"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["institution", "status"], name="case_institution_status_idx"),
            # The overdue lists and the inbox: open cases by deadline, per institution and
            # for the whole department.
            models.Index(
                fields=["institution", "next_due"],
                condition=Q(next_due__isnull=False),
                name="case_institution_due_idx",
            ),
            models.Index(
                fields=["next_due"], condition=Q(next_due__isnull=False), name="case_due_idx"
            ),
            models.Index(fields=["worker", "status"], name="case_worker_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("new case"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, day: dt.date) -> bool:
        return self.next_due is not None and self.next_due < day


class CaseTransition(models.Model):
    """One step of a case from a status to another: the timeline's spine."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(
        _("from status"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=CaseStatus.choices)
    on = models.DateField(_("on"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("step of a case")
        verbose_name_plural = _("steps of cases")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_status}→{self.to_status}"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("application")
    IDENTITY = "identity", _("identity document")
    AUTHORITY = "authority", _("representative's authority")
    MEDICAL = "medical", _("medical document")
    INCOME = "income", _("proof of income")
    REFUSAL = "refusal", _("written refusal of services")
    OTHER = "other", _("other")


def attachment_path(instance: CaseDocument, filename: str) -> str:
    # Never the uploaded name: a random one with the extension of the detected type.
    return f"casework/{instance.case_id}/{instance.stored_name}"


class CaseDocument(TimeStampedModel):
    """A file attached to a case. Stored under a random name, served only through the case's
    scoped download view; the type is read from the content, not from the name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document of a case")
        verbose_name_plural = _("documents of cases")
        ordering = ["case", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class Assessment(TimeStampedModel):
    """An assessment of a person's circumstances and her ability to care for herself."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    scale = models.ForeignKey(
        AssessmentScale, on_delete=models.PROTECT, related_name="+", verbose_name=_("scale")
    )
    answers = models.JSONField(_("answers"), default=dict)  # {item code: points}
    score = models.IntegerField(_("score"))
    care_level = models.ForeignKey(
        CareLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed care level"),
    )
    living_conditions = models.TextField(_("living conditions"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["case", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.assessed_on:%d.%m.%Y} ({self.score})"


class Outcome(models.TextChoices):
    RECOGNISED = "recognised", _("recognised as needing social services")
    REFUSED = "refused", _("refused")


class NeedDecision(TimeStampedModel):
    """The decision on recognition as needing social services (442-FZ art. 15)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("due on"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    care_level = models.ForeignKey(
        CareLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision on the need for social services")
        verbose_name_plural = _("decisions on the need for social services")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(reasons=""),
                name="casework_refusal_has_reasons",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_outcome_display()}"

    @property
    def late(self) -> bool:
        return self.decided_on > self.due_on


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AGREED = "agreed", _("in force")
    SUPERSEDED = "superseded", _("superseded")
    ENDED = "ended", _("ended")


class ProgrammeReason(models.TextChoices):
    FIRST = "first", _("first programme")
    REVIEW = "review", _("periodic review")
    CIRCUMSTANCES = "circumstances", _("circumstances changed")


class Programme(TimeStampedModel):
    """A version of the individual programme of social services (ИППСУ, 442-FZ art. 16).
    A version is never changed once agreed: a review makes a new one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="programmes")
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=16, choices=ProgrammeReason.choices)
    form = models.CharField(_("form"), max_length=16, choices=ServiceForm.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    drawn_up_on = models.DateField(_("drawn up on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    review_due = models.DateField(_("review due"))
    # The fee, from the fee calculator on the day the programme is drawn up.
    income = models.DecimalField(
        _("average per-capita income, roubles a month"), max_digits=12, decimal_places=2
    )
    fee_cap = models.DecimalField(
        _("monthly fee at most, roubles"), max_digits=12, decimal_places=2
    )
    is_free = models.BooleanField(_("free of charge"))
    # Why: a ground of 442-FZ art. 31 part 1 whatever the income, or else the income test
    # against the subsistence minimum of the recipient's group (pensioner, working age, child).
    free_ground = models.ForeignKey(
        "rules.FreeGround",
        verbose_name=_("free of charge on the ground"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minimum_group = models.CharField(
        _("subsistence minimum of the group"),
        max_length=20,
        choices=SubsistenceGroup.choices,
        blank=True,
    )
    fee_is_example = models.BooleanField(default=False, editable=False)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    refusal = models.TextField(_("written refusal of services"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("individual programme")
        verbose_name_plural = _("individual programmes")
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="casework_programme_version"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="draft"), name="casework_one_draft_programme"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="agreed"),
                name="casework_one_programme_in_force",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="casework_programme_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(fee_cap__gte=Decimal("0")), name="casework_fee_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "review_due"], name="programme_review_idx")]

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"


class ProgrammeItem(models.Model):
    """A service of a programme: from which provider, how often, how much over the term."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("social service", "service"),
    )
    provider = models.ForeignKey(
        "catalogue.ProviderEntry",
        on_delete=models.PROTECT,
        related_name="programme_items",
        verbose_name=_("provider"),
    )
    times = models.PositiveSmallIntegerField(
        _("times"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    per = models.CharField(_("per"), max_length=8, choices=PeriodicityUnit.choices, blank=True)
    volume = models.PositiveIntegerField(
        _("volume over the term, units"), validators=[MinValueValidator(1)]
    )
    unit_price = models.DecimalField(_("price per unit, roubles"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    refused_on = models.DateField(_("refused in writing on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service of a programme")
        verbose_name_plural = _("services of a programme")
        ordering = ["programme", "service__code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "service"], name="casework_programme_service_once"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="casework_item_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.service.code}"

    @property
    def is_refused(self) -> bool:
        return self.refused_on is not None


class MissedReason(models.TextChoices):
    NOT_AT_HOME = "not_at_home", _("the recipient was not at home")
    REFUSED_VISIT = "refused_visit", _("the recipient refused the visit")
    IN_HOSPITAL = "in_hospital", _("the recipient was in hospital")
    WORKER_ABSENT = "worker_absent", _("the social worker was absent")
    OTHER = "other", _("another reason")


class Delivery(TimeStampedModel):
    """A service delivered on a day: who, what, when, for how long. Urgent
    services (art. 21) are delivered without a programme item."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deliveries")
    item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("service of the programme"),
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("social service", "service"),
    )
    is_urgent = models.BooleanField(_("urgent service"), default=False)
    delivered_on = models.DateField(_("date"))
    started_at = models.TimeField(_("time"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("minutes"), null=True, blank=True, validators=[MaxValueValidator(MINUTES_IN_A_DAY)]
    )
    quantity = models.PositiveIntegerField(_("units"), default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("price per unit, roubles"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    worker = models.ForeignKey(
        "institutions.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("delivered by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("delivered service")
        verbose_name_plural = _("delivered services")
        ordering = ["case", "-delivered_on", "-id"]
        indexes = [
            models.Index(fields=["case", "delivered_on"], name="delivery_case_day_idx"),
            models.Index(fields=["worker", "delivered_on"], name="delivery_worker_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="casework_delivery_at_least_one_unit"
            ),
            models.CheckConstraint(
                condition=Q(is_urgent=True) | Q(item__isnull=False),
                name="casework_delivery_against_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.service.code} {self.delivered_on:%d.%m.%Y}"

    @property
    def cost(self) -> Decimal:
        return self.unit_price * self.quantity


class MissedVisit(TimeStampedModel):
    """A planned home visit that did not happen, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="missed_visits")
    planned_on = models.DateField(_("planned for"))
    reason = models.CharField(_("reason"), max_length=16, choices=MissedReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    worker = models.ForeignKey(
        "institutions.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missed_visits",
        verbose_name=_("social worker"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("missed visit")
        verbose_name_plural = _("missed visits")
        ordering = ["case", "-planned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "planned_on"], name="casework_missed_visit_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.planned_on:%d.%m.%Y}"


class ServiceAct(TimeStampedModel):
    """The monthly act of services delivered to a recipient, with the fee charged for them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="acts")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="acts")
    month = models.DateField(_("month"))  # the first day of the month
    cost = models.DecimalField(_("cost of the services, roubles"), max_digits=12, decimal_places=2)
    fee = models.DecimalField(_("fee charged, roubles"), max_digits=12, decimal_places=2)
    deliveries = models.PositiveIntegerField(_("services delivered"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("act of delivered services")
        verbose_name_plural = _("acts of delivered services")
        ordering = ["case", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="casework_act_once_a_month"),
            models.CheckConstraint(
                condition=Q(fee__lte=models.F("cost")) & Q(fee__gte=Decimal("0")),
                name="casework_fee_within_cost",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.month:%m.%Y}"
