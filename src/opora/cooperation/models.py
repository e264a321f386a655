"""The department's work with partner cities, regions and agencies: partners and their people,
agreements and their action plans, events (visits, seminar series, telebridges, forums),
exchanges of specialists, correspondence, partners' needs and the aid handed over.

Fields that partners read are kept per language by django-modeltranslation (see
``translation.py``): ``title`` reads the active language and falls back to Russian."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.core.models import TimeStampedModel


def stored_file_path(instance: models.Model, filename: str) -> str:
    # The services pass a random name with the extension of the detected type, never the
    # uploaded one; the folder only groups the files by what they belong to.
    return f"cooperation/{instance._meta.model_name}/{filename}"


# --- Enumerations --------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    CITY = "city", _("city")
    REGION = "region", _("region")
    COUNTRY = "country", _("country")
    STATE_BODY = "state_body", _("state body")
    AGENCY = "agency", _("agency")
    ORGANISATION = "organisation", _("organisation")


class PartnershipKind(models.TextChoices):
    PARTNER_CITY = "partner_city", _("partner city")
    COOPERATION = "cooperation", _("cooperation")
    TWINNING = "twinning", _("twinning")
    MEMBERSHIP = "membership", _("membership")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class AgreementKind(models.TextChoices):
    PROGRAMME = "programme", _("programme of cooperation")
    AGREEMENT = "agreement", _("agreement")
    MEMORANDUM = "memorandum", _("memorandum")
    PROTOCOL = "protocol", _("protocol")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_FORCE = "in_force", _("in force")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Host(models.TextChoices):
    OURS = "ours", _("our department")
    PARTNER = "partner", _("the partner")
    JOINT = "joint", _("jointly")


class EventKind(models.TextChoices):
    INCOMING_VISIT = "incoming_visit", _("incoming delegation visit")
    OUTGOING_VISIT = "outgoing_visit", _("outgoing delegation visit")
    SEMINAR = "seminar", _("seminar")
    TELEBRIDGE = "telebridge", _("telebridge")
    VIDEO_CONFERENCE = "video_conference", _("video conference")
    FORUM = "forum", _("forum")
    FESTIVAL = "festival", _("festival")
    TRAINING = "training", pgettext_lazy("cooperation", "training")
    MEETING = "meeting", _("meeting")
    METHODOLOGICAL_SCHOOL = "methodological_school", _("methodological school")


# Kinds held over a link: they need an address on the internet unless a place is given.
ONLINE_EVENT_KINDS = (EventKind.TELEBRIDGE, EventKind.VIDEO_CONFERENCE)


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class EventPartnerRole(models.TextChoices):
    ORGANISER = "organiser", _("organiser")
    PARTICIPANT = "participant", _("participant")
    HOST = "host", _("host")


class Side(models.TextChoices):
    OURS = "ours", _("our side")
    PARTNER = "partner", _("partner's side")


class ParticipantRole(models.TextChoices):
    HEAD_OF_DELEGATION = "head_of_delegation", _("head of delegation")
    MEMBER = "member", _("member of the delegation")
    SPEAKER = "speaker", _("speaker")
    HOST = "host", _("host")
    INTERPRETER = "interpreter", _("interpreter")
    ORGANISER = "organiser", _("organiser")


class EventFileKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")


class StopKind(models.TextChoices):
    INSTITUTION_VISIT = "institution_visit", _("visit to an institution")
    MEETING = "meeting", _("meeting")
    TRANSFER = "transfer", _("transfer")
    MEAL = "meal", _("meal")
    CULTURAL = "cultural", _("cultural programme")
    OTHER = "other", pgettext_lazy("cooperation", "other")


class Direction(models.TextChoices):
    INCOMING = "incoming", _("incoming")
    OUTGOING = "outgoing", _("outgoing")


class LetterStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    ANSWERED = "answered", _("answered")
    NO_REPLY_NEEDED = "no_reply_needed", _("no reply needed")


class NeedKind(models.TextChoices):
    EQUIPMENT = "equipment", _("equipment")
    TRAINING = "training", pgettext_lazy("cooperation", "training")
    ASSISTIVE_DEVICES = "assistive_devices", _("assistive devices")
    HUMANITARIAN = "humanitarian", _("humanitarian aid")
    METHODOLOGY = "methodology", _("methodology")
    OTHER = "other", pgettext_lazy("cooperation", "other")


class NeedStatus(models.TextChoices):
    RAISED = "raised", _("raised")
    ACCEPTED = "accepted", _("accepted")
    IN_PROGRESS = "in_progress", _("in progress")
    MET = "met", _("met")
    DECLINED = "declined", _("declined")


OPEN_NEED_STATUSES = (NeedStatus.RAISED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS)


# --- Partners ------------------------------------------------------------------------------------


class Partner(TimeStampedModel):
    """A city, region, country or agency the department works with."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166 code of two letters, e.g. FI.")
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(pgettext_lazy("partner", "active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind"], name="coop_partner_kind_idx"),
            models.Index(fields=["country"], name="coop_partner_country_idx"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class PartnerPerson(TimeStampedModel):
    """Someone on the partner's side; positions change over time (``PersonPosition``)."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="people"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    # The Russian spelling of a foreign name, a plain field: it is a name, not a translation.
    full_name_ru = models.CharField(_("full name in Russian"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("partner's representative")
        verbose_name_plural = _("partners' representatives")
        ordering = ["partner", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    def position_on(self, day: dt.date) -> PersonPosition | None:
        """The position held on ``day``, from the prefetched list when there is one."""
        for position in sorted(self.positions.all(), key=lambda p: p.valid_from, reverse=True):
            if position.valid_from <= day and (
                position.valid_to is None or day <= position.valid_to
            ):
                return position
        return None


class PersonPosition(TimeStampedModel):
    person = models.ForeignKey(
        PartnerPerson, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(_("position"), max_length=300)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="coop_position_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="coop_position_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Partnership(TimeStampedModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="partnerships"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PartnershipKind.choices)
    since = models.DateField(pgettext_lazy("partnership", "since"))
    # How much of ``since`` is known: "Moscow–Berlin since 1990" is stored as 1990-01-01, year.
    since_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["partner", "since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("since")),
                name="coop_partnership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_kind_display()}"


# --- Agreements ----------------------------------------------------------------------------------


class Agreement(TimeStampedModel):
    number = models.CharField(_("number"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=500)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
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
    events = models.ManyToManyField(
        "Event", verbose_name=_("events"), related_name="action_items", blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")
        ordering = ["agreement", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="coop_action_due_idx")]

    def __str__(self) -> str:
        return self.title


# --- Events --------------------------------------------------------------------------------------


class SeminarSeries(TimeStampedModel):
    """A numbered series of seminars whose host city may alternate between the two sides."""

    name = models.CharField(_("name"), max_length=300)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="series"
    )
    alternates = models.BooleanField(_("the host alternates"), default=True)
    first_host = models.CharField(
        _("host of the first edition"), max_length=8, choices=Host.choices, default=Host.OURS
    )
    first_held_on = models.DateField(_("first held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("seminar series")
        verbose_name_plural = _("seminar series")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Event(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_url = models.URLField(_("link"), max_length=500, blank=True)
    host = models.CharField(_("host"), max_length=8, choices=Host.choices, default=Host.OURS)
    partners = models.ManyToManyField(
        Partner,
        verbose_name=_("partners"),
        through="EventPartner",
        related_name="events",
        blank=True,
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    series = models.ForeignKey(
        SeminarSeries,
        verbose_name=pgettext_lazy("seminar", "series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editions",
    )
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True)
    host_override_reason = models.TextField(_("why the host differs"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    participant_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.PLANNED
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"], name="coop_event_dates_idx"),
            models.Index(fields=["kind", "starts_on"], name="coop_event_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="coop_event_ends_after_start"
            ),
            models.UniqueConstraint(fields=["series", "edition"], name="coop_event_edition_once"),
            models.CheckConstraint(
                condition=Q(series__isnull=True, edition__isnull=True)
                | Q(series__isnull=False, edition__isnull=False),
                name="coop_event_edition_with_series",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventPartner(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="event_partners"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=EventPartnerRole.choices,
        default=EventPartnerRole.PARTICIPANT,
    )

    class Meta:
        verbose_name = _("partner of an event")
        verbose_name_plural = _("partners of events")
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "partner"], name="coop_event_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_role_display()}"


class EventParticipant(TimeStampedModel):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    partner_person = models.ForeignKey(
        PartnerPerson,
        verbose_name=_("partner's representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    employee = models.ForeignKey(
        "institutions.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_participations",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=24, choices=ParticipantRole.choices, default=ParticipantRole.MEMBER
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "side", "id"]

    def __str__(self) -> str:
        if self.partner_person_id:
            return str(self.partner_person)
        if self.employee_id:
            return str(self.employee)
        return self.name


class EventFile(TimeStampedModel):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventFileKind.choices)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=300)
    title = models.CharField(_("title"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("file of an event")
        verbose_name_plural = _("files of events")
        ordering = ["event", "kind", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class ItineraryStop(TimeStampedModel):
    """One point of a visit's day-by-day programme."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="stops"
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))
    kind = models.CharField(_("kind"), max_length=24, choices=StopKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_stops",
    )
    title = models.CharField(_("title"), max_length=300)
    host_name = models.CharField(_("received by"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("stop of an itinerary")
        verbose_name_plural = _("stops of itineraries")
        ordering = ["event", "day", "starts_at", "id"]
        indexes = [models.Index(fields=["event", "day", "starts_at"], name="coop_stop_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="coop_stop_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(kind="institution_visit") | Q(institution__isnull=False),
                name="coop_stop_visit_has_institution",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ForumStand(TimeStampedModel):
    event = models.ForeignKey(
        Event, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="stands"
    )
    title = models.CharField(_("title"), max_length=300)
    project = models.CharField(_("project"), max_length=300, blank=True)
    institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("institutions"),
        related_name="cooperation_stands",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("stand of a forum")
        verbose_name_plural = _("stands of forums")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return self.title


class ForumSession(TimeStampedModel):
    event = models.ForeignKey(
        Event, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    participant_count = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    class Meta:
        verbose_name = _("session of a forum")
        verbose_name_plural = _("sessions of forums")
        ordering = ["event", "day", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="coop_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- Exchanges -----------------------------------------------------------------------------------


class Exchange(TimeStampedModel):
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


# --- Correspondence ------------------------------------------------------------------------------


class Letter(TimeStampedModel):
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


# --- Needs and aid -------------------------------------------------------------------------------


class PartnerNeed(TimeStampedModel):
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


class AidDelivery(TimeStampedModel):
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
