"""The registry of residents: people, their documents, addresses, households, categories and
incomes. Every service, benefit and visit of the other apps points at a Person."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opora.core.models import BilingualName, TimeStampedModel

# No one alive or served was born before 1900 (the oldest person ever recorded was born in
# 1875 and died in 1997); an earlier date of birth is a slip: 0001-01-01 from an empty date
# field, 1090 typed for 1990.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(TimeStampedModel):
    # A stable key from the source system, so importing the same file again updates, not adds.
    # Unique through Meta.constraints rather than unique=True: on PostgreSQL unique=True adds a
    # second (varchar_pattern_ops) index for LIKE that nothing uses and every insert maintains.
    external_key = models.CharField(  # noqa: DJ001 - NULL: no key; unique among the keys
        _("external key"), max_length=64, null=True, blank=True
    )
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("surname (Latin)"), max_length=100, blank=True)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Eleven digits without separators; the check number is verified by the services.
    snils = models.CharField(_("SNILS"), max_length=11, null=True, blank=True)  # noqa: DJ001
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    consent_date = models.DateField(_("consent to data processing, date"), null=True, blank=True)
    consent_scope = models.CharField(
        _("consent to data processing, scope"), max_length=300, blank=True
    )
    # Names reduced to one Latin spelling (see registry/names.py): what the search compares.
    search_key = models.CharField(max_length=320, blank=True, editable=False)
    served_by = models.ManyToManyField(
        "institutions.Institution",
        through="PersonInstitution",
        related_name="people",
        verbose_name=_("served by"),
        blank=True,
    )
    # A merged duplicate stays as a redirect to the record that survived it.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        verbose_name=_("merged into"),
        db_index=False,  # a partial index below: almost every record is not merged
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "patronymic", "id"]
        indexes = [
            # With the key: "Иванова 08.03.1956" is one range on it.
            models.Index(fields=["birth_date", "search_key"], name="person_birth_key_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["search_key"], name="person_search_key_idx"),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="person_merged_into_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_key"], name="person_external_key_once"),
            models.UniqueConstraint(fields=["snils"], name="person_snils_once"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def full_name_latin(self) -> str:
        parts = (self.last_name_latin, self.first_name_latin, self.patronymic_latin)
        return " ".join(p for p in parts if p)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class NameWord(models.Model):
    """Each word of every search key, once: the dictionary that a misspelt word of a search is
    corrected against (registry/search.py). On PostgreSQL it is filled by statement triggers on
    ``registry_person`` (migration 0006) and read into memory by the search; the SQLite
    fallback does not use it. Words are never removed: a word no key holds any more finds nobody."""

    word = models.TextField()

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")
        constraints = [models.UniqueConstraint(fields=["word"], name="name_word_once")]

    def __str__(self) -> str:
        return self.word


class PersonInstitution(models.Model):
    """Which institutions serve a person; their staff see her."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="service_links",
        db_index=False,  # person_institution_once leads with it
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="person_links",
        db_index=False,  # person_link_by_institution below begins with it
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("institution serving a person")
        verbose_name_plural = _("institutions serving people")
        # A member of staff's scope, read from the index alone: the people of her institutions.
        indexes = [
            models.Index(fields=["institution", "person"], name="person_link_by_institution")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "institution"], name="person_institution_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.institution}"


class FormerName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_names")
    last_name = models.CharField(_("surname"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["-changed_on"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class DocumentKind(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """Kinds of identity document, as data (passport, birth certificate, foreign passport…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    # A regular expression the number must match, e.g. "\\d{6}" for a Russian passport.
    number_pattern = models.CharField(_("number pattern"), max_length=100, blank=True)
    series_pattern = models.CharField(_("series pattern"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kind of document")
        verbose_name_plural = _("kinds of document")
        ordering = ["name"]

    def clean(self) -> None:
        problems = {}
        for name in ("number_pattern", "series_pattern"):
            try:
                re.compile(getattr(self, name))
            except re.error:
                problems[name] = _("This is not a valid regular expression.")
        if problems:
            raise ValidationError(problems)


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    series = models.CharField(_("series"), max_length=20, blank=True)
    number = models.CharField(_("number"), max_length=30)
    issued_by = models.CharField(_("issued by"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "series", "number"], name="document_once")
        ]
        indexes = [models.Index(fields=["number"], name="document_number_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.series} {self.number}".replace("  ", " ")


class AddressKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration address")
    ACTUAL = "actual", _("Actual address")


class Address(models.Model):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="addresses",
        db_index=False,  # one_address_per_kind leads with it
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AddressKind.choices)
    district = models.ForeignKey(
        "institutions.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("district"),
    )
    text = models.CharField(_("address"), max_length=300)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    # Since when the person is registered there: the measures' residence clauses count their
    # years from it, and an unknown day leaves such a clause unknown rather than false.
    registered_on = models.DateField(_("registered since"), null=True, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_address_per_kind")
        ]

    def __str__(self) -> str:
        return self.text


class Household(TimeStampedModel):
    external_key = models.CharField(
        _("external key"), max_length=64, null=True, blank=True, unique=True
    )
    district = models.ForeignKey(
        "institutions.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address or f"#{self.pk}"


class Relation(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GUARDIAN = "guardian", _("Guardian")
    WARD = "ward", _("Ward")
    OTHER = "other", _("Other relative")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(
        _("relation to the applicant"), max_length=16, choices=Relation.choices
    )
    is_applicant = models.BooleanField(_("applicant"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["-is_applicant", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_applicant=True, left_on__isnull=True),
                name="one_current_applicant",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class CategoryKind(BilingualName, models.Model):  # noqa: DJ008 - __str__ from BilingualName
    """Categories a person can hold (pensioner, disability group II, large family…), as data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Whether a holding is about a household (large family) rather than a person.
    household_level = models.BooleanField(_("held by a household"), default=False)
    review_days = models.PositiveSmallIntegerField(
        _("review before expiry, days"),
        default=30,
        help_text=_("How long before its end a holding appears in the list for review."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]


class PersonCategory(TimeStampedModel):
    external_key = models.CharField(
        _("external key"), max_length=64, null=True, blank=True, unique=True
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    kind = models.ForeignKey(CategoryKind, on_delete=models.PROTECT, verbose_name=_("category"))
    basis_document = models.CharField(_("basis document"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("category held")
        verbose_name_plural = _("categories held")
        ordering = ["-valid_from"]
        indexes = [
            models.Index(fields=["kind", "valid_from", "valid_to"], name="category_period_idx"),
            models.Index(fields=["valid_to"], name="category_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="category_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.valid_from:%d.%m.%Y}–{self.valid_to or '…'})"


class IncomeKind(models.TextChoices):
    SALARY = "salary", _("Salary")
    PENSION = "pension", _("Pension")
    BENEFIT = "benefit", _("Benefit")
    OTHER = "other", _("Other income")


class Income(TimeStampedModel):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="incomes",
        db_index=False,  # income_once_per_month leads with it
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("kind"), max_length=16, choices=IncomeKind.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount, roubles"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["-month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month", "kind", "source"], name="income_once_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%m.%Y} {self.get_kind_display()}: {self.amount}"


class IntakeOverride(models.Model):
    """Registering a person despite a likely match needs a reason; kept with the match."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="intake_overrides")
    matched = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration despite a likely match")
        verbose_name_plural = _("registrations despite a likely match")

    def __str__(self) -> str:
        return f"{self.person} ~ {self.matched}"


class ImportEntity(models.TextChoices):
    PEOPLE = "people", _("People")
    HOUSEHOLDS = "households", _("Households and members")
    CATEGORIES = "categories", _("Categories held")
    INCOMES = "incomes", _("Incomes")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("The whole file or nothing")
    VALID_ONLY = "valid_only", _("The valid rows; the others reported")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    MAPPED = "mapped", _("Columns mapped")
    RUNNING = "running", _("Loading")
    LOADED = "loaded", _("Loaded")
    REJECTED = "rejected", _("Rejected: errors found")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    """One uploaded file, its column mapping, and what loading it did."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution serving the imported people"),
    )
    entity = models.CharField(_("what the file holds"), max_length=16, choices=ImportEntity.choices)
    mode = models.CharField(
        _("when rows have errors"),
        max_length=16,
        choices=ImportMode.choices,
        default=ImportMode.ALL_OR_NOTHING,
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file_format = models.CharField(max_length=8)  # csv or xlsx
    encoding = models.CharField(max_length=20, blank=True)
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # target field -> source column
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    # The people file had no column of external keys: each row's key was made from the file's
    # checksum and the row's number (plan.py), which the import's report says.
    keys_generated = models.BooleanField(default=False)
    inserted = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class ImportIssue(models.Model):
    """One problem in one cell (or row) of an imported file."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField()  # as a spreadsheet numbers it: the header is row 1
    column = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=300, blank=True)
    message = models.CharField(max_length=300)
    # A warning is shown with the problems but keeps no row out (a name mixing alphabets).
    warning = models.BooleanField(default=False, db_default=False)  # raw SQL inserts too

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"{self.row}:{self.column} {self.message}"


class DedupRun(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    threshold = models.FloatField(default=0.9)
    people = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("duplicate search")
        verbose_name_plural = _("duplicate searches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CONFIRMED = "confirmed", _("Confirmed duplicate")
    REJECTED = "rejected", _("Not a duplicate")
    MERGED = "merged", _("Merged")


class DuplicateCandidate(models.Model):
    run = models.ForeignKey(DedupRun, on_delete=models.CASCADE, related_name="pairs")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("match probability"))
    cluster = models.PositiveIntegerField(_("cluster"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Why the reviewer found them to be different people (kept on the pair for the queue).
    rejection_reason = models.CharField(_("why they differ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person_a", "person_b"], name="pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="candidate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.2f})"


class PersonMerge(models.Model):
    """A merge: every reference moved from ``merged`` to ``survivor``, recorded so that it can
    be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_survived")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    candidate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    # [{"model": "app.model", "field": "person", "pks": [...]}, ...] and the survivor's fields
    # that were filled from the merged record.
    moved = models.JSONField(default=list)
    filled = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("merge of records")
        verbose_name_plural = _("merges of records")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
