"""Every write of the published figures: record one, correct it, retire it. Each writes its
audit entry in the same transaction.

A figure is what a text said: a correction changes it where it was entered wrongly, and a
figure the department no longer stands by is retired (kept, with the reason, and left out of
the lists), never deleted. A new value of the same quantity is a new figure as of its date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.cooperation.models import Partner
from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, reject_unknown_fields, validated
from opora.institutions.models import Institution

from . import audit_actions as actions
from .models import AsOfPrecision, PublishedFigure, truncated

FIGURE_FIELDS = (
    "code",
    "name",
    "name_en",
    "value",
    "unit",
    "qualifier",
    "as_of",
    "as_of_end",
    "as_of_precision",
    "source_kind",
    "source_document",
    "source_title",
    "source_publisher",
    "source_date",
    "source_url",
    "quotation",
    "institution",
    "partner",
    "note",
    "is_example",
    "example_note",
)
# A correction may change anything a person entered; retiring has its own service.
FIGURE_CHANGEABLE = FIGURE_FIELDS
RETIRE_REASON_LENGTH = 300


def _clean_text(value: Any) -> Any:
    """Strings lose the blanks around them (a quotation keeps its inner spacing as quoted)."""
    return value.strip() if isinstance(value, str) else value


def _snapshot(figure: PublishedFigure) -> dict[str, Any]:
    """The audited fields, the value without trailing zeros (85 and 85.000 are one value)."""
    values = audit.snapshot(figure, FIGURE_FIELDS)
    if isinstance(figure.value, Decimal) and figure.value.is_finite():
        values["value"] = format(figure.value.normalize(), "f")
    return values


def _taken(code: str, as_of: dt.date) -> DomainError:
    return Conflict(
        "figure_exists",
        _("The figure %(code)s as of %(date)s is already recorded: correct that one instead.")
        % {"code": code, "date": as_of.strftime("%d.%m.%Y")},
        details={"as_of": [_("A figure of this code as of this date exists.")]},
    )


def _key(code: str, as_of: Any, precision: Any) -> tuple[str, Any]:
    """The code and the date as the figure will be stored (truncated to its precision)."""
    if isinstance(as_of, dt.date) and precision in AsOfPrecision.values:
        as_of = truncated(as_of, precision)
    return code, as_of


def _save(figure: PublishedFigure) -> PublishedFigure:
    """Save, turning the unique constraint a simultaneous writer may hit into the same refusal
    the check before gives (the check is for the message, the constraint for the race)."""
    try:
        with transaction.atomic():
            figure.save()
    except IntegrityError:
        raise _taken(figure.code, figure.as_of) from None
    return figure


@transaction.atomic
def figure_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    value: Decimal,
    unit: str,
    as_of: dt.date,
    source_kind: str,
    source_title: str,
    name_en: str = "",
    qualifier: str = "",
    as_of_end: dt.date | None = None,
    as_of_precision: str = AsOfPrecision.DAY,
    source_document: str = "",
    source_publisher: str = "",
    source_date: dt.date | None = None,
    source_url: str = "",
    quotation: str = "",
    institution: Institution | None = None,
    partner: Partner | None = None,
    note: str = "",
    is_example: bool = False,
    example_note: str = "",
) -> PublishedFigure:
    """Record a figure as a text published it: ``value`` with its ``qualifier`` ("more than",
    empty when the text gives the number bare), as of ``as_of`` (to ``as_of_end`` for a
    period) known to ``as_of_precision`` (a date known to the year is kept as 1 January), from
    its source; from a source document of the project only with the sentence it is quoted from.
    The same code as of the same date is refused: correct that figure instead."""
    fields = {
        "code": code,
        "name": name,
        "name_en": name_en,
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "as_of": as_of,
        "as_of_end": as_of_end,
        "as_of_precision": as_of_precision,
        "source_kind": source_kind,
        "source_document": source_document,
        "source_title": source_title,
        "source_publisher": source_publisher,
        "source_date": source_date,
        "source_url": source_url,
        "quotation": quotation,
        "institution": institution,
        "partner": partner,
        "note": note,
        "is_example": is_example,
        "example_note": example_note,
    }
    figure = PublishedFigure(**{name: _clean_text(v) for name, v in fields.items()})
    key_code, key_date = _key(figure.code, figure.as_of, figure.as_of_precision)
    if PublishedFigure.objects.filter(code=key_code, as_of=key_date).exists():
        raise _taken(key_code, key_date)
    validated(figure)
    _save(figure)
    audit.record(
        actor=actor,
        action=actions.FIGURE_RECORDED,
        obj=figure,
        changes=audit.diff({}, _snapshot(figure)),
        data={"is_example": figure.is_example},
    )
    return figure


@transaction.atomic
def figure_update(
    *, actor: Actor, figure: PublishedFigure, reason: str = "", **fields: Any
) -> PublishedFigure:
    """Correct a figure's fields (those of ``figure_create``); a retired figure stays as it
    was retired. A correction that changes nothing writes no audit entry."""
    reject_unknown_fields(fields, FIGURE_CHANGEABLE)
    figure = PublishedFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.is_retired:
        raise Conflict(
            "figure_retired",
            _("A retired figure is kept as it was: record a new one instead."),
        )
    before = _snapshot(figure)
    for name, value in fields.items():
        setattr(figure, name, _clean_text(value))
    key_code, key_date = _key(figure.code, figure.as_of, figure.as_of_precision)
    clash = PublishedFigure.objects.filter(code=key_code, as_of=key_date).exclude(pk=figure.pk)
    if clash.exists():
        raise _taken(key_code, key_date)
    validated(figure)
    _save(figure)
    audit.record_changes(
        actor=actor,
        action=actions.FIGURE_CHANGED,
        obj=figure,
        before=before,
        after=_snapshot(figure),
        reason=reason.strip(),
    )
    return figure


@transaction.atomic
def figure_retire(*, actor: Actor, figure: PublishedFigure, reason: str) -> PublishedFigure:
    """Take a figure out of the lists, keeping it and saying why (a source withdrawn, a
    figure found wrong)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required",
            _("Say why the figure is retired."),
            details={"reason": [_("This field is required.")]},
        )
    if len(reason) > RETIRE_REASON_LENGTH:
        raise DomainError(
            "reason_too_long",
            _("Say why in at most %(count)s characters.") % {"count": RETIRE_REASON_LENGTH},
            details={"reason": [_("Shorten the reason.")]},
        )
    figure = PublishedFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.is_retired:
        raise Conflict("figure_retired", _("The figure is already retired."))
    figure.retired_at = timezone.now()
    figure.retired_reason = reason
    figure.save(update_fields=["retired_at", "retired_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.FIGURE_RETIRED,
        obj=figure,
        changes={"retired_at": [None, figure.retired_at]},
        reason=reason,
    )
    return figure
