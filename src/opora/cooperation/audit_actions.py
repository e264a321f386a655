"""Action codes of cooperation. Each entry is written on the object it changes (the partner,
the agreement, the event, the letter, the need or the delivery), so that its History tab tells
the story; statuses and kinds are kept as codes and rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opora.core.audit import choice_label, declare_action

from .models import ActionStatus, AgreementStatus, NeedStatus, PartnershipKind

PARTNER_CREATED = declare_action(
    "cooperation.partner.created", _("%(actor)s added the partner %(object)s")
)
PARTNER_UPDATED = declare_action(
    "cooperation.partner.updated", _("%(actor)s changed the partner %(object)s")
)
PERSON_ADDED = declare_action(
    "cooperation.person.added",
    _("%(actor)s added %(person)s to the representatives of the partner %(object)s"),
)
PERSON_UPDATED = declare_action(
    "cooperation.person.updated",
    _("%(actor)s changed the details of %(person)s, a representative of the partner %(object)s"),
)
POSITION_ADDED = declare_action(
    "cooperation.position.added",
    _("%(actor)s recorded that %(person)s of %(object)s holds the position %(title)s"),
)
PARTNERSHIP_ADDED = declare_action(
    "cooperation.partnership.added",
    _("%(actor)s recorded the relation “%(kind)s” with the partner %(object)s"),
    renderers={"kind": choice_label(PartnershipKind)},
)
AGREEMENT_CREATED = declare_action(
    "cooperation.agreement.created", _("%(actor)s registered the agreement %(object)s")
)
AGREEMENT_UPDATED = declare_action(
    "cooperation.agreement.updated",
    _("%(actor)s changed the agreement %(object)s (status: %(status)s)"),
    renderers={"status": choice_label(AgreementStatus)},
)
AGREEMENT_VERSION_ADDED = declare_action(
    "cooperation.agreement.version_added",
    _("%(actor)s added version %(number)s to the agreement %(object)s"),
)
AGREEMENT_FILE_ADDED = declare_action(
    "cooperation.agreement.file_added",
    _("%(actor)s attached the file “%(name)s” (%(language)s) to the agreement %(object)s"),
)
ACTION_ITEM_ADDED = declare_action(
    "cooperation.action_item.added",
    _("%(actor)s added “%(title)s” to the action plan of the agreement %(object)s"),
)
ACTION_ITEM_UPDATED = declare_action(
    "cooperation.action_item.updated",
    _("%(actor)s changed “%(title)s” of the action plan of %(object)s: %(status)s"),
    renderers={"status": choice_label(ActionStatus)},
)
SERIES_CREATED = declare_action(
    "cooperation.series.created", _("%(actor)s started the seminar series %(object)s")
)
EVENT_CREATED = declare_action(
    "cooperation.event.created", _("%(actor)s planned the event %(object)s")
)
EVENT_UPDATED = declare_action(
    "cooperation.event.updated", _("%(actor)s changed the event %(object)s")
)
EVENT_PARTICIPANT_ADDED = declare_action(
    "cooperation.event.participant_added",
    _("%(actor)s added %(name)s to the participants of the event %(object)s"),
)
EVENT_FILE_ADDED = declare_action(
    "cooperation.event.file_added",
    _("%(actor)s attached the file “%(name)s” to the event %(object)s"),
)
EVENT_STOP_ADDED = declare_action(
    "cooperation.event.stop_added",
    _("%(actor)s added “%(title)s” on %(day)s to the itinerary of %(object)s"),
)
EVENT_STOP_CHANGED = declare_action(
    "cooperation.event.stop_changed",
    _("%(actor)s changed “%(title)s” on %(day)s in the itinerary of %(object)s"),
)
EVENT_STOP_REMOVED = declare_action(
    "cooperation.event.stop_removed",
    _("%(actor)s removed “%(title)s” on %(day)s from the itinerary of %(object)s"),
)
STAND_ADDED = declare_action(
    "cooperation.stand.added",
    _("%(actor)s added the stand “%(title)s” to the forum %(object)s"),
)
SESSION_ADDED = declare_action(
    "cooperation.session.added",
    _("%(actor)s added the session “%(title)s” to the forum %(object)s"),
)
EXCHANGE_RECORDED = declare_action(
    "cooperation.exchange.recorded",
    _("%(actor)s recorded the exchange of %(employee)s with the partner %(object)s"),
)
LETTER_REGISTERED = declare_action(
    "cooperation.letter.registered", _("%(actor)s registered the letter %(object)s")
)
LETTER_ANSWERED = declare_action(
    "cooperation.letter.answered",
    _("%(actor)s recorded that the letter %(object)s is answered by the letter %(reply)s"),
)
LETTER_VERSION_ADDED = declare_action(
    "cooperation.letter.version_added",
    _("%(actor)s added the %(language)s version of the letter %(object)s"),
)
LETTER_ATTACHMENT_ADDED = declare_action(
    "cooperation.letter.attachment_added",
    _("%(actor)s attached the file “%(name)s” to the letter %(object)s"),
)
LETTER_DISCREPANCY_FLAGGED = declare_action(
    "cooperation.letter.discrepancy_flagged",
    _("%(actor)s flagged that the versions of the letter %(object)s disagree"),
)
LETTER_DISCREPANCY_RESOLVED = declare_action(
    "cooperation.letter.discrepancy_resolved",
    _("%(actor)s recorded which version of the letter %(object)s is right"),
)
NEED_RAISED = declare_action(
    "cooperation.need.raised", _("%(actor)s recorded the partner's need %(object)s")
)
NEED_STATUS_CHANGED = declare_action(
    "cooperation.need.status_changed",
    _("%(actor)s moved the need %(object)s from “%(from_status)s” to “%(to_status)s”"),
    renderers={"from_status": choice_label(NeedStatus), "to_status": choice_label(NeedStatus)},
)
AID_DELIVERED = declare_action(
    "cooperation.aid.delivered",
    _("%(actor)s recorded aid handed over to the partner %(object)s: %(count)s items"),
)
FEED_ADDRESS_MADE = declare_action(
    "cooperation.feed.made",
    _("%(actor)s made a new address of the events' calendar feed for %(object)s"),
)
FEED_ADDRESS_REVOKED = declare_action(
    "cooperation.feed.revoked",
    _("%(actor)s revoked the address of the events' calendar feed of %(object)s"),
)
