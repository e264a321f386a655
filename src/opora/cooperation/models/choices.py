"""The choices of cooperation's fields: kinds, statuses, roles and directions, and the statuses
that count as still open."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    """How much of a date the sources give. A date known to the month, the season or the year
    is stored as the first day of it (``start_of``) and shown as "April 2019", "spring 2019",
    "2019"."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    SEASON = "season", _("season")
    YEAR = "year", _("year")


def start_of(day: dt.date, precision: str) -> dt.date:
    """The first day of the month, season (winter from December) or year ``day`` falls in."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.SEASON:
        if day.month < 3:
            return dt.date(day.year - 1, 12, 1)
        return day.replace(month=day.month - day.month % 3, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


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
