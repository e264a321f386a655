"""Action codes of the catalogue. Entries about tariffs and providers are written on the
service, so that its History tab tells the whole story of the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action
from opora.institutions.models import ServiceForm


def form_label(code: Any) -> str:
    """A form as a person reads it; a tariff without a form applies to all of them."""
    return str(ServiceForm(code).label) if code else str(_("all forms"))


def forms_label(codes: Any) -> str:
    return ", ".join(form_label(code) for code in str(codes).split(",") if code) or "—"


def date_label(value: Any) -> str:
    return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def price_label(value: Any) -> str:
    try:
        amount = Decimal(value)
    except ArithmeticError:  # decimal.InvalidOperation: not a number, shown as written
        return str(value)
    return formats.number_format(amount, decimal_pos=2, force_grouping=True)


DATED = {"valid_from": date_label, "valid_to": date_label}

SERVICE_CREATED = declare_action(
    "catalogue.service.created",
    _("%(actor)s added the service %(object)s, given %(forms)s"),
    renderers={"forms": forms_label},
)
SERVICE_UPDATED = declare_action(
    "catalogue.service.updated", _("%(actor)s changed the service %(object)s")
)
SERVICE_FORMS_SET = declare_action(
    "catalogue.service.forms_set",
    _("%(actor)s set the forms of the service %(object)s: %(forms)s"),
    renderers={"forms": forms_label},
)
TARIFF_ADDED = declare_action(
    "catalogue.tariff.added",
    _("%(actor)s set the tariff of %(object)s (%(form)s) at %(price)s roubles from %(valid_from)s"),
    renderers={"form": form_label, "price": price_label, **DATED},
)
TARIFF_ENDED = declare_action(
    "catalogue.tariff.ended",
    _(
        "%(actor)s ended the tariff of %(object)s (%(form)s) of %(price)s roubles on "
        "%(valid_to)s, as a new one starts"
    ),
    renderers={"form": form_label, "price": price_label, **DATED},
)
PROVIDER_ADDED = declare_action(
    "catalogue.provider.added",
    _(
        "%(actor)s entered %(institution)s as a provider of %(object)s (%(form)s, "
        "%(district)s) from %(valid_from)s"
    ),
    renderers={"form": form_label, **DATED},
)
PROVIDER_ENDED = declare_action(
    "catalogue.provider.ended",
    _(
        "%(actor)s ended the entry of %(institution)s as a provider of %(object)s (%(form)s, "
        "%(district)s) on %(valid_to)s"
    ),
    renderers={"form": form_label, **DATED},
)
