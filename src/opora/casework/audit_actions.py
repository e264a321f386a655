"""Action codes of casework. Every entry is written on the case, so that its History tab
tells the whole story; statuses, outcomes and reasons are kept as codes and rendered in the
reader's language."""

from __future__ import annotations

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from opora.core.audit import choice_label, declare_action

from .models import CaseStatus, Channel, MissedReason, Outcome, ProgrammeReason


def _short_date(value: str) -> str:
    """A day kept as ISO text, in the reader's date format."""
    day = parse_date(value) if value else None
    return date_format(day, "SHORT_DATE_FORMAT") if day else value


STATUS = {"from_status": choice_label(CaseStatus), "to_status": choice_label(CaseStatus)}

CASE_REGISTERED = declare_action(
    "casework.case.registered",
    _("%(actor)s registered the application %(object)s, received %(channel)s"),
    renderers={"channel": choice_label(Channel)},
)
CASE_MOVED = declare_action(
    "casework.case.moved",
    _("%(actor)s moved the case %(object)s from “%(from_status)s” to “%(to_status)s”"),
    renderers=STATUS,
)
CASE_WORKER_SET = declare_action(
    "casework.case.worker_set",
    _("%(actor)s assigned the case %(object)s to the social worker %(worker)s"),
)
DOCUMENT_ATTACHED = declare_action(
    "casework.document.attached",
    _("%(actor)s attached the document “%(name)s” to the case %(object)s"),
)
ASSESSMENT_RECORDED = declare_action(
    "casework.assessment.recorded",
    _("%(actor)s recorded an assessment of the case %(object)s: %(score)s points"),
)
NEED_DECIDED = declare_action(
    "casework.decision.made",
    _("%(actor)s decided on the case %(object)s: %(outcome)s"),
    renderers={"outcome": choice_label(Outcome)},
)
PROGRAMME_DRAFTED = declare_action(
    "casework.programme.drafted",
    _("%(actor)s drew up version %(version)s of the programme of the case %(object)s (%(reason)s)"),
    renderers={"reason": choice_label(ProgrammeReason)},
)
PROGRAMME_ITEM_ADDED = declare_action(
    "casework.programme.item_added",
    _("%(actor)s added %(service)s to version %(version)s of the programme of %(object)s"),
)
PROGRAMME_ITEM_REMOVED = declare_action(
    "casework.programme.item_removed",
    _("%(actor)s removed %(service)s from version %(version)s of the programme of %(object)s"),
)
PROGRAMME_AGREED = declare_action(
    "casework.programme.agreed",
    _("%(actor)s recorded the agreement to version %(version)s of the programme of %(object)s"),
)
PROGRAMME_SERVICE_REFUSED = declare_action(
    "casework.programme.service_refused",
    _("%(actor)s recorded the recipient's written refusal of %(service)s in the case %(object)s"),
)
URGENT_DELIVERED = declare_action(
    "casework.delivery.urgent",
    _("%(actor)s recorded the urgent service %(service)s given in the case %(object)s"),
)
DELIVERIES_RECORDED = declare_action(
    "casework.delivery.recorded",
    _("%(actor)s recorded %(count)s delivered services in the case %(object)s"),
)
VISIT_MISSED = declare_action(
    "casework.delivery.missed",
    _("%(actor)s recorded a missed visit in the case %(object)s: %(reason)s"),
    renderers={"reason": choice_label(MissedReason)},
)
DAY_CONFIRMED = declare_action(
    "casework.day.confirmed",
    _(
        "%(actor)s recorded the visits of %(object)s on %(day)s: %(delivered)s services "
        "delivered, %(missed)s visits missed"
    ),
    renderers={"day": _short_date},
)
PRINTED_DOCUMENTS = {
    "decision": _("decision on recognition"),
    "programme": _("individual programme"),
    "act": _("act of delivered services"),
}
CASE_DOCUMENT_ISSUED = declare_action(
    "casework.document.printed",
    _("%(actor)s printed the %(document)s of the case %(object)s"),
    renderers={"document": lambda code: str(PRINTED_DOCUMENTS.get(code, code))},
)
ACT_ISSUED = declare_action(
    "casework.act.issued",
    _("%(actor)s issued the act of services delivered in %(month)s for the case %(object)s"),
)
