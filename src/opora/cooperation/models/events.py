"""Events (visits, seminars, telebridges, forums) with their partners, participants, files and
day-by-day itineraries, the numbered seminar series, and the stands and sessions of forums."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.core.models import ExampleMark, TimeStampedModel

from .agreements import Agreement
from .choices import (
    EventFileKind,
    EventKind,
    EventPartnerRole,
    EventStatus,
    Host,
    ParticipantRole,
    Side,
    StopKind,
)
from .files import stored_file_path
from .partners import Partner, PartnerPerson


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


class Event(ExampleMark, TimeStampedModel):
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


class ItineraryStop(ExampleMark, TimeStampedModel):
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
