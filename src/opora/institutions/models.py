"""The department's network: districts, institutions and the people who work in them.

Kinds of institution, accessibility features and positions are data (administrators add more in
the admin site); the initial ones are loaded by a data migration from ``reference.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, ExampleMark, TimeStampedModel


class ServiceForm(models.TextChoices):
    """The forms in which social services are given (442-FZ art. 19): the capacity of an
    institution, the catalogue and the fee rules are all stated per form."""

    HOME = "home", _("at home")
    SEMI_RESIDENTIAL = "semi_residential", _("semi-residential")
    RESIDENTIAL = "residential", _("residential")


class District(BilingualName, TimeStampedModel):
    """A district of the city or region; residents, addresses and institutions belong to one."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]


class InstitutionKind(BilingualName, TimeStampedModel):
    """A kind of institution (territorial social service centre, crisis centre, boarding
    school…): data, so that a region names its own network."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # Where the kind stands in lists: the department first, partners last.
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)

    class Meta:
        verbose_name = _("kind of institution")
        verbose_name_plural = _("kinds of institution")
        ordering = ["position", "name"]


class AccessibilityFeature(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """What makes a building accessible (a ramp, a lift, tactile signs…), as data."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("accessibility feature")
        verbose_name_plural = _("accessibility features")
        ordering = ["name"]


class InstitutionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open")
    RENOVATION = "renovation", _("under renovation")
    CLOSED = "closed", _("closed")


class Institution(BilingualName, ExampleMark, TimeStampedModel):
    """An institution of the department's network. Staff belong to one or more of them, and the
    scope of what a person sees is drawn from that membership."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    kind = models.ForeignKey(
        InstitutionKind,
        verbose_name=_("kind"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    accessibility = models.ManyToManyField(
        AccessibilityFeature,
        verbose_name=_("accessibility features"),
        blank=True,
        related_name="institutions",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.OPEN,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Kept equal to "the status is not closed" by the services; what other apps filter on.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        indexes = [models.Index(fields=["status"], name="institution_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="institution_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="institution_not_its_own_parent"
            ),
        ]


class InstitutionStatusChange(models.Model):
    """One change of an institution's status, with the day it took effect: the history the
    overview shows. The current status is kept on the institution itself."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=InstitutionStatus.choices)
    effective_on = models.DateField(_("since"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.effective_on:%d.%m.%Y}"


class InstitutionCapacity(models.Model):
    """How many people an institution takes in one form of service: places for residential
    and semi-residential care, the number of people served at home for home care."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="capacities"
    )
    form = models.CharField(_("form of service"), max_length=20, choices=ServiceForm.choices)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["institution", "form"], name="capacity_once_per_form")
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.capacity}"

    @property
    def unit(self) -> str:
        return str(capacity_unit(self.form))


def capacity_unit(form: str) -> object:
    """What the number counts: people served at home, or places."""
    return _("people served") if form == ServiceForm.HOME else _("places")


class Position(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """A position on the staff (director, social worker, psychologist…), as data."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # Home-care social workers serve a caseload of people, limited per employment.
    has_caseload = models.BooleanField(_("serves a caseload at home"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["name"]


class Employee(TimeStampedModel):
    """A person on the staff of one or more institutions, with or without an account."""

    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    # The personnel number of the HR system: the key a repeated import or demo load finds.
    personnel_number = models.CharField(
        _("personnel number"), max_length=32, null=True, blank=True, unique=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("work email"), blank=True)
    qualification = models.CharField(_("qualification"), max_length=300, blank=True)
    # The names and personnel number in lower case with ё as е, filled by the services: what
    # the staff search compares, the same on every database (SQLite folds only Latin case).
    search_name = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name", "patronymic", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="employee_name_idx"),
            models.Index(fields=["search_name"], name="employee_search_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def current_employments(self) -> list[Employment]:
        """The employments in force today, from the prefetched list when there is one."""
        return [e for e in self.employments.all() if e.in_force]


class Employment(TimeStampedModel):
    """An employee's work at one institution in one position, from hiring to leaving."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="employments")
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="employments",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="+"
    )
    hired_on = models.DateField(_("hired on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # The most people a home-care social worker serves at once; casework enforces it.
    caseload_limit = models.PositiveSmallIntegerField(_("caseload limit"), null=True, blank=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-hired_on", "-id"]
        indexes = [models.Index(fields=["institution", "left_on"], name="employment_current_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("hired_on")),
                name="employment_leaves_after_hiring",
            ),
            models.UniqueConstraint(
                fields=["employee", "institution"],
                condition=Q(left_on__isnull=True),
                name="employment_one_open_per_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} — {self.position} ({self.institution})"

    @property
    def in_force(self) -> bool:
        """Hired by today and not yet left (``left_on`` is the last working day)."""
        today = timezone.localdate()
        return self.hired_on <= today and (self.left_on is None or self.left_on >= today)


class TrainingKind(models.TextChoices):
    COURSE = "course", _("professional development course")
    SEMINAR = "seminar", _("seminar")
    TRAINING = "training", _("training")
    CONFERENCE = "conference", _("conference or forum")
    EXCHANGE = "exchange", _("exchange of specialists")
    INTERNSHIP = "internship", _("internship")
    WEBINAR = "webinar", _("online training")


class TrainingRecord(ExampleMark, TimeStampedModel):
    """A training, seminar or exchange an employee took part in.

    ``source`` says where it came from in words; ``external_ref`` is a stable reference another
    app sets when it attaches the record to its own object (the cooperation app, to an
    exchange or a seminar), so this app needs to know nothing of those objects.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    certificate = models.CharField(_("certificate"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["external_ref"], name="training_external_ref_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="training_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
