import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action
from opora.institutions.models import ServiceForm

from .catalog import rule_spec
from .models import DayKind


def _date(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _rule(code: str) -> str:
    return rule_spec(code).label


def _form(code: str) -> str:
    return f" ({ServiceForm(code).label})" if code else ""


RULE_VERSION_ADDED = declare_action(
    "rules.version.added",
    _("%(actor)s set «%(rule)s»%(service_form)s to %(value)s from %(valid_from)s"),
    renderers={"rule": _rule, "service_form": _form, "valid_from": _date},
)
REGION_CREATED = declare_action("rules.region.created", _("%(actor)s added the region %(object)s"))
MINIMUM_ADDED = declare_action(
    "rules.minimum.added",
    _("%(actor)s recorded the subsistence minimum of %(object)s from %(valid_from)s"),
    renderers={"valid_from": _date},
)
CALENDAR_YEAR_CREATED = declare_action(
    "rules.calendar.year_created",
    _("%(actor)s opened the working-day calendar of %(object)s"),
)
CALENDAR_DAY_ADDED = declare_action(
    "rules.calendar.day_added",
    _("%(actor)s marked %(date)s as a %(kind)s in the calendar of %(object)s"),
    renderers={"date": _date, "kind": lambda code: DayKind(code).label},
)
CALENDAR_DAY_REMOVED = declare_action(
    "rules.calendar.day_removed",
    _("%(actor)s removed the mark %(kind)s of %(date)s from the calendar of %(object)s"),
    renderers={"date": _date, "kind": lambda code: DayKind(code).label},
)
GROUND_ADDED = declare_action(
    "rules.ground.added",
    _("%(actor)s added the free-of-charge ground %(object)s"),
)
GROUND_CHANGED = declare_action(
    "rules.ground.changed",
    _("%(actor)s changed the free-of-charge ground %(object)s"),
)
