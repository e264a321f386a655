"""What every cooperation service shares: the permission check, the per-language fields and
stored uploads.

Per-language values are keyword fields named as modeltranslation names its columns
(``title_ru=…, title_en=…``); a plain ``title=…`` is the Russian text. Writing ``obj.title``
directly would write the *active* language's column, so the services never do."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

from opora.core.actors import Actor
from opora.core.errors import DomainError, require_choice, validated
from opora.core.permissions import has_permission
from opora.core.uploads import CheckedUpload, checked

from ..access import COOPERATION_MANAGE

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "ru"
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")

__all__: list[str] = []


def require_manage(actor: Actor) -> None:
    """Only cooperation officers (and administrators) change cooperation data; ``None`` is the
    system (demo loaders, commands)."""
    if has_permission(actor, COOPERATION_MANAGE):
        return
    raise DomainError(
        "forbidden",
        _("Only cooperation officers can change cooperation data."),
        status=403,
    )


def example_mark(is_example: bool, example_note: str) -> dict[str, Any]:
    """The two fields of ``core.models.ExampleMark`` for a new record the demo made up; the
    note says what of it is made up, so it goes with the mark only."""
    note = " ".join(example_note.split())
    if note and not is_example:
        raise DomainError(
            "example_note_without_mark",
            _("Only a record marked as an example says what of it is made up."),
            details={"example_note": [_("Mark the record as an example, or leave this empty.")]},
        )
    return {"is_example": bool(is_example), "example_note": note}


def translated_field_names(model: type[models.Model]) -> tuple[str, ...]:
    try:
        options: Any = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    return tuple(options.fields)


def split_translations(
    model: type[models.Model], fields: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """``fields`` split into the plain ones and the per-language ones (``name`` → ``name_ru``)."""
    translated = translated_field_names(model)
    plain: dict[str, Any] = {}
    languages: dict[str, str] = {}
    for name, value in fields.items():
        base, _sep, code = name.rpartition("_")
        if name in translated:
            languages[f"{name}_{DEFAULT_LANGUAGE}"] = _text(value)
        elif base in translated and code in LANGUAGE_CODES:
            languages[name] = _text(value)
        else:
            plain[name] = value
    return plain, languages


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def apply_translations(instance: models.Model, values: Mapping[str, str]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


def russian(instance: models.Model, name: str) -> str:
    """The Russian text of a translated field, whatever language is active."""
    return getattr(instance, f"{name}_{DEFAULT_LANGUAGE}", "") or ""


def require_russian(instance: models.Model, *names: str) -> None:
    """A required translated field needs its Russian text: the others fall back to it."""
    missing = {
        f"{name}_{DEFAULT_LANGUAGE}": [_("This field is required in Russian.")]
        for name in names
        if not russian(instance, name).strip()
    }
    if missing:
        raise DomainError("invalid", _("Some fields are not valid."), details=missing)


def choice(value: str, choices: Any, field: str) -> str:
    """``value`` if it is one of ``choices`` (a TextChoices); refused otherwise."""
    return require_choice(value, choices, field=field)


def language_code(value: str, field: str = "language") -> str:
    code = (value or "").strip().lower()
    if not _LANGUAGE_CODE.match(code):
        raise DomainError(
            "invalid_language",
            _("A language is named by its code of two or three letters, e.g. “fi”."),
            details={field: [_("Enter a language code.")]},
        )
    return code


def max_upload_bytes() -> int:
    return int(settings.COOPERATION_MAX_UPLOAD_BYTES)


def save_with_upload(
    instance: models.Model,
    upload: Any,
    *,
    allowed: Iterable[str],
    after_save: Callable[[], Any] | None = None,
    field: str = "file",
) -> CheckedUpload:
    """Check the upload (kind read from its content, size, not empty), then store it under a
    random name with the row that describes it. Everything is checked before the file is
    written, and the file is removed again if the row or ``after_save`` fails: a refused upload
    leaves nothing behind. Rows with ``original_name``/``content_type``/``size``/``sha256``
    get them filled."""
    facts = checked(upload, allowed=allowed, max_bytes=max_upload_bytes(), field=field)
    for name, value in (
        ("original_name", facts.original_name),
        ("content_type", facts.content_type),
        ("size", facts.size),
        ("sha256", facts.sha256),
    ):
        if hasattr(instance, name):
            setattr(instance, name, value)
    validated(instance, exclude=[field])
    stored = getattr(instance, field)
    stored.save(facts.stored_name, upload, save=False)
    try:
        instance.save()
        if after_save is not None:
            after_save()
    except Exception:
        stored.storage.delete(str(stored.name))
        raise
    return facts
