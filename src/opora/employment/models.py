"""Employment services: the classifier of occupations, the service points, job seekers with
their status history, employers, vacancies and referrals.

A service point is an institution of one of the employment kinds; what a department sees is
drawn from it (``Scope`` reads the institution through ``service_point``, whose key is the
institution's)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, ExampleMark, TimeStampedModel
from opora.institutions.models import District, Institution

# The kinds of institution that serve job seekers (institutions/reference.py); the first is
# by its definition a department inside a «My Documents» centre.
EMPLOYMENT_KINDS = (
    "employment-department",
    "flagship-employment-centre",
    "specialised-employment-centre",
)
MY_DOCUMENTS_KIND = "employment-department"


def pay_field(label) -> models.DecimalField:
    """A monthly pay in roubles, optional and never negative: a seeker's wish, a vacancy's range."""
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class Occupation(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """One group of the national classifier of occupations (ОКЗ, ОК 010-2014): a major group
    has one digit, a unit group four."""

    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{1,4}$", _("A code of one to four digits."))],
    )
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["code"]


class ServiceKind(models.TextChoices):
    JOB_SEARCH = "job_search", _("help in finding work")
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", _("unemployment benefit")
    CAREER_GUIDANCE = "career_guidance", _("career guidance")
    TRAINING = "training", _("retraining and upskilling")
    DISABILITY_SUPPORT = "disability_support", _("supported employment of disabled people")
    EMPLOYER_SERVICES = "employer_services", _("services to employers")


class ServicePoint(TimeStampedModel):
    """An institution of an employment kind as the place job seekers are served."""

    institution = models.OneToOneField(
        Institution,
        verbose_name=_("institution"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="employment_point",
    )
    in_my_documents = models.BooleanField(_("in a «My Documents» centre"), default=False)
    services = models.JSONField(_("services offered"), default=list, blank=True)

    class Meta:
        verbose_name = _("employment service point")
        verbose_name_plural = _("employment service points")
        ordering = ["institution__name"]

    def __str__(self) -> str:
        return str(self.institution)


class Education(models.TextChoices):
    NONE = "none", _("no general education completed")
    BASIC = "basic", _("basic general")
    SECONDARY = "secondary", _("secondary general")
    VOCATIONAL = "vocational", _("secondary vocational")
    HIGHER = "higher", _("higher")


class Schedule(models.TextChoices):
    FULL_TIME = "full_time", _("full time")
    PART_TIME = "part_time", _("part time")
    SHIFTS = "shifts", _("shifts")
    FLEXIBLE = "flexible", _("flexible hours")
    REMOTE = "remote", _("remote work")


class TargetGroup(models.TextChoices):
    OLDER = "older", _("older people")
    YOUNG = "young", _("young people from 14")
    LARGE_FAMILY = "large_family", _("parents of large families")
    MATERNITY_LEAVE = "maternity_leave", _("women on maternity leave")
    DISABLED = "disabled", _("people with disabilities")


class SeekerStatus(models.TextChoices):
    REGISTERED = "registered", _("registered as seeking work")
    UNEMPLOYED = "unemployed", _("unemployed")
    EMPLOYED = "employed", _("employed")
    IN_TRAINING = "in_training", _("in training")
    REMOVED = "removed", _("removed from the register")


# The moves the register allows; removal ends a record (a return is a new registration).
SEEKER_TRANSITIONS: dict[str, frozenset[str]] = {
    SeekerStatus.REGISTERED: frozenset(
        {
            SeekerStatus.UNEMPLOYED,
            SeekerStatus.EMPLOYED,
            SeekerStatus.IN_TRAINING,
            SeekerStatus.REMOVED,
        }
    ),
    SeekerStatus.UNEMPLOYED: frozenset(
        {SeekerStatus.EMPLOYED, SeekerStatus.IN_TRAINING, SeekerStatus.REMOVED}
    ),
    SeekerStatus.IN_TRAINING: frozenset(
        {SeekerStatus.UNEMPLOYED, SeekerStatus.EMPLOYED, SeekerStatus.REMOVED}
    ),
    SeekerStatus.EMPLOYED: frozenset({SeekerStatus.REMOVED}),
    SeekerStatus.REMOVED: frozenset(),
}


class JobSeeker(TimeStampedModel):
    """A person of the registry on the register of one service point, with the profile the
    employment specialist fills."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="job_seeker_records",
    )
    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="seekers",
    )
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=16, choices=SeekerStatus.choices, default=SeekerStatus.REGISTERED
    )
    status_since = models.DateField(_("status since"))
    occupations = models.ManyToManyField(
        Occupation, verbose_name=_("occupations"), blank=True, related_name="seekers"
    )
    education = models.CharField(_("education"), max_length=16, choices=Education.choices)
    qualifications = models.TextField(_("qualifications"), blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(80)]
    )
    wanted_pay = pay_field(_("wanted pay a month"))
    schedule = models.CharField(_("schedule"), max_length=16, choices=Schedule.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    travel_limit_km = models.PositiveSmallIntegerField(
        _("travel limit, km"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    restrictions = models.TextField(_("restrictions (recommended conditions of work)"), blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["-registered_on", "-pk"]
        indexes = [models.Index(fields=["service_point", "status"], name="seeker_point_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="removed"),
                name="seeker_one_open_record_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=F("registered_on")),
                name="seeker_status_after_registration",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class SeekerStatusChange(models.Model):
    """One status of a job seeker from the day it took effect: the history of the record."""

    seeker = models.ForeignKey(JobSeeker, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=16, choices=SeekerStatus.choices)
    effective_on = models.DateField(_("since"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change of a job seeker")
        verbose_name_plural = _("status changes of job seekers")
        ordering = ["effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="removed") | ~Q(reason=""),
                name="seeker_removal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.effective_on:%d.%m.%Y}"


class EmployerKind(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    ENTREPRENEUR = "entrepreneur", _("individual entrepreneur")


class Employer(ExampleMark, TimeStampedModel):
    """An employer a service point works with; the kind follows from the INN's length."""

    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="employers",
    )
    name = models.CharField(_("name"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EmployerKind.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class Vacancy(ExampleMark, TimeStampedModel):
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="vacancies"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("title"), max_length=300)
    requirements = models.TextField(_("requirements"), blank=True)
    pay_from = pay_field(_("pay from"))
    pay_to = pay_field(_("pay to"))
    schedule = models.CharField(_("schedule"), max_length=16, choices=Schedule.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    quota_places = models.PositiveIntegerField(
        _("places within the quota for people with disabilities"), default=0
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["status", "occupation"], name="vacancy_status_occupation")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_from__isnull=True)
                | Q(pay_to__isnull=True)
                | Q(pay_from__lte=F("pay_to")),
                name="vacancy_pay_from_not_above_to",
            ),
            models.CheckConstraint(
                condition=Q(quota_places__lte=F("places")), name="vacancy_quota_within_places"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="vacancy_has_places"),
        ]

    def __str__(self) -> str:
        return self.title


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("awaiting the employer")
    INTERVIEW = "interview", _("invited to an interview")
    HIRED = "hired", _("hired")
    REFUSED = "refused", _("refused")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralOutcome.PENDING: frozenset(
        {ReferralOutcome.INTERVIEW, ReferralOutcome.HIRED, ReferralOutcome.REFUSED}
    ),
    ReferralOutcome.INTERVIEW: frozenset({ReferralOutcome.HIRED, ReferralOutcome.REFUSED}),
    ReferralOutcome.HIRED: frozenset(),
    ReferralOutcome.REFUSED: frozenset(),
}


class Referral(TimeStampedModel):
    """A job seeker sent to an employer for a vacancy, and what came of it."""

    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.PROTECT, related_name="referrals"
    )
    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField(_("referred on"))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=ReferralOutcome.choices,
        default=ReferralOutcome.PENDING,
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason of the refusal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "vacancy"], name="referral_once_per_seeker_and_vacancy"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(refusal_reason=""),
                name="referral_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("referred_on")),
                name="referral_outcome_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker} → {self.vacancy}"
