"""What the areas of the cooperation API share: the router class, the language of an answer,
translated fields in and out, and the lookups of what a body names by id (each a selector's
read, its absence a DomainError naming the field)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from ninja import Field, Schema

from opora.core import api_support
from opora.core.errors import DomainError

from .. import selectors

LANGUAGES = [code for code, _name in settings.LANGUAGES]
Translations = dict[str, str]  # {"ru": "…", "en": "…"}


class Router(api_support.Router):
    """The router of cooperation. Its operations keep the ids they had when the API was one
    module, ``opora_cooperation_api_<function>``, so clients generated from the schema keep
    working."""

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        operation_id = operation_id or f"opora_cooperation_api_{view_func.__name__}"
        return super().add_api_operation(
            path, methods, view_func, operation_id=operation_id, **kwargs
        )


# One router for every area: each area's module adds its endpoints to it when imported (see
# ``__init__``), and the project mounts it at /cooperation.
router = Router(tags=["cooperation"])


# --- Language ----------------------------------------------------------------------------------


class LangQuery(Schema):
    lang: str | None = Field(
        None, description="ru, en, fi or de; the caller's language when absent"
    )


def speak(request, lang: str | None) -> None:
    """Answer in ``lang``: the translated fields read the active language (modeltranslation),
    falling back to Russian. An unknown code is refused rather than silently ignored."""
    if lang is None:
        return
    if lang not in LANGUAGES:
        raise DomainError(
            "unknown_language",
            _("There is no language with the code %(code)s.") % {"code": lang},
            details={"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}]},
        )
    # For the rest of this request only: the locale middleware activates each request's own.
    translation.activate(lang)


def i18n(obj: Any) -> dict[str, Translations]:
    """Each translated field of ``obj`` with its raw value per language (no fallback)."""
    try:
        fields = translator.get_options_for_model(type(obj)).get_field_names()
    except NotRegistered:
        return {}
    return {
        name: {code: getattr(obj, f"{name}_{code}", "") or "" for code in LANGUAGES}
        for name in fields
    }


def translated(name: str, values: Translations | None) -> dict[str, Any]:
    """A translated field as the services take it: ``name_<lang>`` keyword values."""
    if values is None:
        return {}
    unknown = sorted(set(values) - set(LANGUAGES))
    if unknown:
        raise DomainError(
            "unknown_language",
            _("There is no language with the code %(code)s.") % {"code": unknown[0]},
            details={name: [_("Give the text per language: ru, en, fi, de.")]},
        )
    return {f"{name}_{code}": text for code, text in values.items()}


def fields(payload: Schema, translated_names: tuple[str, ...], *, exclude_unset: bool = False):
    """The payload as service keywords, translated fields spread per language."""
    data = payload.dict(exclude_unset=exclude_unset)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in translated_names:
            out |= translated(key, value)
        else:
            out[key] = value
    return out


def today_or(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


# --- Lookups of what a body names by id ---------------------------------------------------------


def partner_named(request, pk: int | None):
    return None if pk is None else selectors.partner_get(actor=request.user, pk=pk)


def institution_named(pk: int | None):
    if pk is None:
        return None
    institution = selectors.visitable_institution(pk)
    if institution is None:
        raise DomainError(
            "unknown_institution",
            _("There is no institution with this id."),
            details={"institution_id": [_("Choose an institution of the department.")]},
        )
    return institution


def events_named(pks: Iterable[int]) -> list[Any]:
    wanted = list(dict.fromkeys(pks))
    found = selectors.events_by_pk(wanted)
    if len(found) != len(wanted):
        raise DomainError(
            "unknown_event",
            _("One of the events does not exist."),
            details={"event_ids": [_("Choose events from the calendar.")]},
        )
    return [found[pk] for pk in wanted]


def agreements_named(pks: Iterable[int]) -> list[Any]:
    wanted = list(dict.fromkeys(pks))
    found = selectors.agreements_by_pk(wanted)
    if len(found) != len(wanted):
        raise DomainError(
            "unknown_agreement",
            _("One of the agreements does not exist."),
            details={"agreement_ids": [_("Choose agreements from the register.")]},
        )
    return [found[pk] for pk in wanted]


def series_named(pk: int):
    try:
        return selectors.series_get(pk=pk)
    except Http404:
        raise DomainError(
            "unknown_series",
            _("There is no such seminar series."),
            details={"series_id": [_("Choose a series.")]},
            status=404,
        ) from None


def letter_named(pk: int):
    return selectors.letter_get(pk=pk)
