"""The department's work with partner cities, regions and agencies: partners and their people,
agreements and their action plans, events (visits, seminar series, telebridges, forums),
exchanges of specialists, correspondence, partners' needs and the aid handed over.

One module per area; import from here: ``from opora.cooperation.models import Event``.
Fields that partners read are kept per language by django-modeltranslation (see
``translation.py``): ``title`` reads the active language and falls back to Russian."""

from .agreements import ActionItem, Agreement, AgreementFile, AgreementParty, AgreementVersion
from .aid import AidDelivery, AidItem, PartnerNeed
from .choices import (
    ONLINE_EVENT_KINDS,
    OPEN_ACTION_STATUSES,
    OPEN_NEED_STATUSES,
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    DatePrecision,
    Direction,
    EventFileKind,
    EventKind,
    EventPartnerRole,
    EventStatus,
    Host,
    LetterStatus,
    NeedKind,
    NeedStatus,
    ParticipantRole,
    PartnerKind,
    PartnershipKind,
    Side,
    StopKind,
    start_of,
)
from .events import (
    Event,
    EventFile,
    EventParticipant,
    EventPartner,
    ForumSession,
    ForumStand,
    ItineraryStop,
    SeminarSeries,
)
from .exchanges import Exchange
from .feeds import CalendarFeedToken
from .files import stored_file_path
from .letters import Letter, LetterAttachment, LetterDiscrepancy, LetterVersion
from .partners import Partner, PartnerPerson, Partnership, PersonPosition

__all__ = [
    "ONLINE_EVENT_KINDS",
    "OPEN_ACTION_STATUSES",
    "OPEN_NEED_STATUSES",
    "ActionItem",
    "ActionStatus",
    "Agreement",
    "AgreementFile",
    "AgreementKind",
    "AgreementParty",
    "AgreementStatus",
    "AgreementVersion",
    "AidDelivery",
    "AidItem",
    "CalendarFeedToken",
    "DatePrecision",
    "Direction",
    "Event",
    "EventFile",
    "EventFileKind",
    "EventKind",
    "EventParticipant",
    "EventPartner",
    "EventPartnerRole",
    "EventStatus",
    "Exchange",
    "ForumSession",
    "ForumStand",
    "Host",
    "ItineraryStop",
    "Letter",
    "LetterAttachment",
    "LetterDiscrepancy",
    "LetterStatus",
    "LetterVersion",
    "NeedKind",
    "NeedStatus",
    "ParticipantRole",
    "Partner",
    "PartnerKind",
    "PartnerNeed",
    "PartnerPerson",
    "Partnership",
    "PartnershipKind",
    "PersonPosition",
    "SeminarSeries",
    "Side",
    "StopKind",
    "start_of",
    "stored_file_path",
]
