"""Targeted social assistance (178-FZ, the city's own acts): measures of social support in dated
versions whose eligibility and amount are rules stored as data; applications, the evaluation of
a rule for a person or household on a date with its explanation, decisions, assignments with
their history, overpayments.

A version's rules are JSON in the language of ``criteria`` (validated against its schema on
every write, shown to people as sentences, compiled into one query). A version that is
published never changes: a change is a new version with its own valid-from date, and an
evaluation or decision points at the version it used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from opora.casework.models import Channel
from opora.core.models import BilingualName, ExampleMark, TimeStampedModel
from opora.rules.models import MONEY


class MeasureKind(models.TextChoices):
    CASH_BENEFIT = "cash_benefit", _("cash benefit")
    MONTHLY_PAYMENT = "monthly_payment", _("monthly payment")
    ONE_TIME_PAYMENT = "one_time_payment", _("one-time payment")
    SUBSIDY = "subsidy", _("subsidy")
    IN_KIND = "in_kind", _("help in kind")
    SOCIAL_CONTRACT = "social_contract", _("social contract")


class Beneficiary(models.TextChoices):
    """Who applies and is evaluated: one person, or a household (its income per member)."""

    PERSON = "person", _("a person")
    HOUSEHOLD = "household", _("a household")


class Periodicity(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    YEARLY = "yearly", _("yearly")
    ONE_TIME = "one_time", _("once")


class Measure(BilingualName, TimeStampedModel):
    """A measure of social support as the department names it; what it takes and gives is in
    its versions."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    beneficiary = models.CharField(
        _("who applies"), max_length=10, choices=Beneficiary.choices, default=Beneficiary.PERSON
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    ended_on = models.DateField(
        _("no longer granted from"),
        null=True,
        blank=True,
        help_text=_("Applications on or after this day are not accepted."),
    )

    @property
    def display_description(self) -> str:
        """The description in the reader's language, as ``display_name`` picks the name."""
        return (
            self.description_en
            if get_language() != "ru" and self.description_en
            else self.description
        )

    class Meta:
        verbose_name = _("measure of social support")
        verbose_name_plural = _("measures of social support")
        ordering = ["name"]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class MeasureVersion(ExampleMark, TimeStampedModel):
    """What a measure takes and gives from ``valid_from``: the version in force on a day is the
    published one with the latest ``valid_from`` not after it. A draft can be edited, compared
    with the version in force and published; a published version never changes."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("measure")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    eligibility = models.JSONField(_("who is eligible"))
    amount = models.JSONField(_("amount"), null=True, blank=True)
    periodicity = models.CharField(_("periodicity"), max_length=10, choices=Periodicity.choices)
    term_months = models.PositiveSmallIntegerField(
        _("assigned for, months"),
        null=True,
        blank=True,
        help_text=_("Empty: until a fact changes (or once, for a one-time payment)."),
    )
    review_months = models.PositiveSmallIntegerField(
        _("review every, months"), null=True, blank=True
    )
    documents = models.JSONField(
        _("documents needed"),
        default=list,
        blank=True,
        help_text=_("The documents an application needs, one name per line."),
    )
    decision_working_days = models.PositiveSmallIntegerField(
        _("decision within, working days"),
        help_text=_("From the day of the application, by the working-day calendar."),
    )
    amount_floor = models.DecimalField(_("smallest amount"), null=True, blank=True, **MONEY)
    amount_ceiling = models.DecimalField(_("largest amount"), null=True, blank=True, **MONEY)
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("version of a measure")
        verbose_name_plural = _("versions of measures")
        ordering = ["measure__name", "-valid_from", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "number"], name="assistance_version_number"),
            # Two published versions from one day would leave "the version in force" undecided.
            models.UniqueConstraint(
                fields=["measure", "valid_from"],
                condition=Q(status="published"),
                name="assistance_one_version_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}, {self.number} ({self.valid_from:%d.%m.%Y})"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("status of an application", "submitted")
    ASSIGNED = "assigned", pgettext_lazy("status of an application", "granted")
    REFUSED = "refused", pgettext_lazy("status of an application", "refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("status of an application", "withdrawn")


class Application(TimeStampedModel):
    """A person's (or a household's, through its applicant) application for a measure. The
    version is the one in force on the day of the application; the decision is due within its
    working days."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="applications", verbose_name=_("measure")
    )
    version = models.ForeignKey(
        MeasureVersion,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("version"),
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="assistance_applications",
        verbose_name=_("applicant"),
    )
    household = models.ForeignKey(
        "registry.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_applications",
        verbose_name=_("household"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="assistance_applications",
        verbose_name=_("institution"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    applied_on = models.DateField(_("applied on"))
    due_on = models.DateField(_("decision due"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    documents_received = models.JSONField(_("documents received"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("application for a measure")
        verbose_name_plural = _("applications for measures")
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status", "due_on"], name="assist_app_inbox"),
            models.Index(fields=["person", "measure"], name="assist_app_person"),
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}, {self.measure}"


class ApplicationFile(TimeStampedModel):
    """A document attached to an application (checked by its content on upload)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    title = models.CharField(_("document"), max_length=300)
    file = models.FileField(_("file"), upload_to="assistance/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("document of an application")
        verbose_name_plural = _("documents of applications")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """One evaluation of a version's rules for a person or household on a date, as it came out:
    eligible (true, false, or unknown where a fact the rule needs is missing), the amount, and
    for each clause whether it held and the facts it read. Never changed afterwards."""

    version = models.ForeignKey(
        MeasureVersion, on_delete=models.PROTECT, related_name="evaluations"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on = models.DateField(_("as of"))
    eligible = models.BooleanField(_("eligible"), null=True)
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    explanation = models.JSONField(_("explanation"), default=dict)
    evaluated_at = models.DateTimeField(_("evaluated"), auto_now_add=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-evaluated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version}, {self.on:%d.%m.%Y}"


class DecisionOutcome(models.TextChoices):
    ASSIGN = "assign", _("assign")
    REFUSE = "refuse", _("refuse")


class Decision(TimeStampedModel):
    """The specialist's decision on an application, with the evaluation it rests on. A decision
    after the due day is kept and marked late, never refused."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("decision"), max_length=10, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField(_("after the due day"), default=False)
    failed_clauses = models.JSONField(_("clauses not met"), default=list, blank=True)
    reason = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}, {self.application}"


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("in force")
    SUSPENDED = "suspended", _("suspended")
    TERMINATED = "terminated", _("terminated")
    ENDED = "ended", _("period ended")


class Assignment(TimeStampedModel):
    """A measure granted: the amount a period (or once) from ``starts_on`` to ``ends_on``."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="assignment"
    )
    version = models.ForeignKey(MeasureVersion, on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="assignments")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="assistance_assignments"
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    review_on = models.DateField(_("review due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["measure", "status"], name="assist_assign_measure"),
            models.Index(fields=["person", "status"], name="assist_assign_person"),
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}, {self.measure}"


class AssignmentEventKind(models.TextChoices):
    ASSIGNED = "assigned", _("assigned")
    SUSPENDED = "suspended", _("suspended")
    RESUMED = "resumed", _("resumed")
    TERMINATED = "terminated", _("terminated")
    RECALCULATED = "recalculated", _("recalculated")
    ENDED = "ended", _("period ended")


class AssignmentEvent(models.Model):
    """The history of an assignment: each change with its day, reason and the amounts."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=14, choices=AssignmentEventKind.choices)
    on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    amount_before = models.DecimalField(null=True, blank=True, **MONEY)
    amount_after = models.DecimalField(null=True, blank=True, **MONEY)
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.on:%d.%m.%Y}"


class OverpaymentStatus(models.TextChoices):
    OPEN = "open", _("to be recovered")
    RECOVERED = "recovered", _("recovered")
    WRITTEN_OFF = "written_off", _("written off")


class Overpayment(TimeStampedModel):
    """Money paid that was not due, found later (income not declared, a category ended)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="overpayments"
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    found_on = models.DateField(_("found on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OverpaymentStatus.choices,
        default=OverpaymentStatus.OPEN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("overpayment")
        verbose_name_plural = _("overpayments")
        ordering = ["-found_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.amount}"


# --- The social contract (178-FZ art. 8.1) ----------------------------------------------------


class ContractKind(models.TextChoices):
    JOB_SEARCH = "job_search", _("search for a job")
    OWN_BUSINESS = "own_business", _("own business")
    SMALLHOLDING = "smallholding", _("personal smallholding")
    DIFFICULT_SITUATION = "difficult_situation", _("overcoming a difficult life situation")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("status of a social contract", "in force")
    COMPLETED = "completed", pgettext_lazy("status of a social contract", "completed")
    TERMINATED = "terminated", pgettext_lazy("status of a social contract", "terminated early")


class ContractOutcome(models.TextChoices):
    EMPLOYED = "employed", _("found a job")
    BUSINESS_REGISTERED = "business_registered", _("registered a business")
    INCOME_ABOVE_MINIMUM = "income_above_minimum", _("income above the subsistence minimum")
    NO_CHANGE = "no_change", _("no lasting change")


class SocialContract(TimeStampedModel):
    """The contract concluded on an assignment of a social-contract measure: its adaptation
    plan (milestones), payments in instalments tied to them, monitoring, and its outcome, kept
    for reporting."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="social_contract"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    concluded_on = models.DateField(_("concluded on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(
        _("reason for early termination"), max_length=300, blank=True
    )
    recovery_amount = models.DecimalField(_("to be recovered"), null=True, blank=True, **MONEY)
    outcome = models.CharField(
        _("outcome"), max_length=24, choices=ContractOutcome.choices, blank=True
    )
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    outcome_note = models.TextField(_("about the outcome"), blank=True)

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-concluded_on", "-pk"]

    def __str__(self) -> str:
        return f"№ {self.pk}, {self.get_kind_display()}"


class MilestoneOwner(models.TextChoices):
    RECIPIENT = "recipient", _("the recipient")
    SPECIALIST = "specialist", _("the specialist")
    EMPLOYMENT_CENTRE = "employment_centre", _("the employment centre")


class ContractMilestone(models.Model):
    """A step of the adaptation plan, with who is to take it and by when."""

    contract = models.ForeignKey(
        SocialContract, on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("who"), max_length=20, choices=MilestoneOwner.choices)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "order"], name="assist_milestone_order")
        ]

    def __str__(self) -> str:
        return self.title


class InstalmentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DUE = "due", _("due")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled")


class ContractInstalment(models.Model):
    """A part of the contract's money, payable when its milestone is done."""

    contract = models.ForeignKey(
        SocialContract, on_delete=models.CASCADE, related_name="instalments"
    )
    milestone = models.ForeignKey(
        ContractMilestone, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InstalmentStatus.choices,
        default=InstalmentStatus.PLANNED,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.amount} ({self.get_status_display()})"


class MonitoringVisit(models.Model):
    """A specialist's check on how the plan goes."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    on_track = models.BooleanField(_("the plan is on track"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.visited_on:%d.%m.%Y}"


# --- Help in kind: goods handed out at institutions -------------------------------------------


class GoodsUnit(models.TextChoices):
    PIECE = "piece", _("pieces")
    SET = "set", _("sets")
    KILOGRAM = "kg", _("kilograms")


class GoodsKind(BilingualName, TimeStampedModel):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=8, choices=GoodsUnit.choices)

    class Meta:
        verbose_name = _("kind of goods")
        verbose_name_plural = _("kinds of goods")
        ordering = ["name"]


class StockBalance(models.Model):
    """What an institution holds of one kind of goods; the database refuses a negative stock,
    so two hand-outs at once cannot give away more than is there."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    goods = models.ForeignKey(GoodsKind, on_delete=models.PROTECT, related_name="balances")
    quantity = models.PositiveIntegerField(_("in stock"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["institution", "goods"], name="assist_one_balance"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="assist_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.goods}: {self.quantity}"


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("received")
    ISSUE = "issue", _("handed out")
    WRITE_OFF = "write_off", _("written off")


class StockMovement(models.Model):
    """Goods in or out of an institution; a hand-out names the person and the assignment."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    goods = models.ForeignKey(GoodsKind, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("movement"), max_length=10, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    on = models.DateField(_("date"))
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="handouts"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="assist_movement_positive"),
            # A hand-out is to someone, under an assignment; receipts and write-offs are not.
            models.CheckConstraint(
                condition=~Q(kind="issue")
                | (Q(person__isnull=False) & Q(assignment__isnull=False)),
                name="assist_issue_to_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.goods} × {self.quantity}"


# --- Whole-registry runs, what-if simulations and outreach -------------------------------------


class RunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("status of a run", "queued")
    RUNNING = "running", pgettext_lazy("status of a run", "running")
    DONE = "done", pgettext_lazy("status of a run", "done")
    FAILED = "failed", pgettext_lazy("status of a run", "failed")


class EligibilityRun(TimeStampedModel):
    """A version's rules over the whole registry on a day, in one set-based pass. The results
    are kept with the run; the checksum over them (ordered by person) is what makes a run
    reproducible: the same registry, version and day give the same checksum.

    A what-if run has a ``baseline``: the version in force compared with a draft (``version``)
    on the same day; only the people whose outcome or amount differ are kept, as changes."""

    version = models.ForeignKey(
        MeasureVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("version")
    )
    baseline = models.ForeignKey(
        MeasureVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("compared with"),
    )
    on = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    evaluated = models.PositiveIntegerField(_("evaluated"), default=0)
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    unknown = models.PositiveIntegerField(_("unknown"), default=0)
    monthly_kopecks = models.BigIntegerField(_("monthly cost, kopecks"), default=0)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True)
    # A what-if's summary: totals, by district and by category (see services.runs).
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("eligibility run")
        verbose_name_plural = _("eligibility runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version}, {self.on:%d.%m.%Y}"

    @property
    def is_whatif(self) -> bool:
        return self.baseline_id is not None


class RunPersonRow(models.Model):
    """A person as a run keeps her: her household and the district of her registration on the
    run's day. Written only by the run's INSERT … SELECT, never changed.

    No database constraints: a run's rows are a snapshot written a million at a time, of people
    who are never deleted (merged people stay), and a checked key would slow every row."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    district = models.ForeignKey(
        "institutions.District",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.run_id}: {self.person_id}"  # type: ignore[attr-defined]


class RunResult(RunPersonRow):
    """One person's (or household's, through its applicant) outcome in a run: ``state`` 2
    eligible, 1 unknown, 0 not; ``clauses`` the states of the clauses in writing order, one
    digit each."""

    pk = models.CompositePrimaryKey("run_id", "person_id")
    run = models.ForeignKey(EligibilityRun, on_delete=models.CASCADE, related_name="results")
    state = models.PositiveSmallIntegerField()
    amount_kopecks = models.BigIntegerField(null=True)
    clauses = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("result of a run")
        verbose_name_plural = _("results of runs")


class RunChange(RunPersonRow):
    """A person whose outcome or amount differs between a what-if's two versions."""

    pk = models.CompositePrimaryKey("run_id", "person_id")
    run = models.ForeignKey(EligibilityRun, on_delete=models.CASCADE, related_name="changes")
    state_before = models.PositiveSmallIntegerField()
    state_after = models.PositiveSmallIntegerField()
    amount_before = models.BigIntegerField(null=True)
    amount_after = models.BigIntegerField(null=True)
    clauses_before = models.CharField(max_length=200)
    clauses_after = models.CharField(max_length=200)
    # The first clause (by its id) whose state differs; empty when only the amount changed.
    changed_clause = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("change in a what-if")
        verbose_name_plural = _("changes in what-ifs")


class OutreachStatus(models.TextChoices):
    TO_CONTACT = "to_contact", _("to contact")
    CONTACTED = "contacted", _("contacted")
    APPLIED = "applied", _("applied")
    DECLINED = "declined", _("declined")


class Outreach(TimeStampedModel):
    """Someone a run found eligible for a measure who neither holds it nor applied for it nor
    declined it: a task for the institution of their district to get in touch."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="outreach", verbose_name=_("measure")
    )
    run = models.ForeignKey(
        EligibilityRun, on_delete=models.PROTECT, related_name="outreach", verbose_name=_("run")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "institutions.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    amount_kopecks = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OutreachStatus.choices,
        default=OutreachStatus.TO_CONTACT,
    )
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("outreach task")
        verbose_name_plural = _("outreach tasks")
        ordering = ["district", "person"]
        constraints = [
            # One task per person and measure at a time: a later run adds only new people.
            models.UniqueConstraint(fields=["measure", "person"], name="assist_outreach_once")
        ]
        indexes = [
            models.Index(fields=["institution", "status"], name="assist_outreach_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.person_id}"
