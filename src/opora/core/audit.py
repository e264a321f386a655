"""The audit log: one helper every service calls inside its transaction.

Actions are declared with a translatable sentence (``declare_action``) so each entry renders as
a sentence on the object's History tab, in the reader's language.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.utils import formats, numberformat, timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actors import Actor, is_system, require_actor
from .models import AuditEntry, User

# Where the change came from (ui, api, cli, task, demo); set by the entry points.
current_source: ContextVar[str] = ContextVar("opora_audit_source", default="")

SOURCE_LABELS = {
    "ui": gettext_lazy("Web interface"),
    "api": gettext_lazy("API"),
    "cli": gettext_lazy("Command line"),
    "task": gettext_lazy("Background job"),
    "demo": gettext_lazy("Demo data"),
}


@dataclass(frozen=True)
class ActionSpec:
    code: str
    sentence: Any  # lazy translation with %(actor)s, %(object)s and the entry's data keys
    # Data is stored as codes and rendered in the reader's language: {"role": role_label}.
    renderers: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


_ACTIONS: dict[str, ActionSpec] = {}


def declare_action(
    code: str, sentence: Any, renderers: Mapping[str, Callable[[Any], Any]] | None = None
) -> str:
    _ACTIONS[code] = ActionSpec(code=code, sentence=sentence, renderers=renderers or {})
    return code


def choice_label(choices: Any) -> Callable[[Any], str]:
    """A renderer showing a stored choice code as its label in the reader's language (an
    unknown code, e.g. of a retired choice, as it is)."""

    def render(code: Any) -> str:
        try:
            return str(choices(code).label)
        except ValueError:
            return str(code)

    return render


def declared_actions() -> dict[str, ActionSpec]:
    return dict(_ACTIONS)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of ``fields``; foreign keys by primary key, many-to-many as id lists."""
    values: dict[str, Any] = {}
    for name in fields:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            related = getattr(instance, name).values_list("pk", flat=True) if instance.pk else []
            values[name] = sorted(related)
        elif model_field.is_relation and model_field.concrete:
            values[name] = getattr(instance, model_field.attname)  # type: ignore[union-attr]
        else:
            values[name] = to_jsonable(getattr(instance, name))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = to_jsonable(before.get(key)), to_jsonable(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def acting_user(actor: Actor) -> User | None:
    """The signed-in user behind ``actor``, or None when the system acts (demo loaders,
    commands, tasks): what a ``…_by`` column records."""
    require_actor(actor)
    if is_system(actor) or not actor.is_authenticated:
        return None
    return cast("User", actor)


def _actor_fields(actor: Actor) -> dict[str, Any]:
    user = acting_user(actor)
    if user is None:
        return {"actor": None, "actor_name": ""}  # shown as "System" in the reader's language
    return {"actor": user, "actor_name": str(user)[:300]}


def _require_transaction(action: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(
            f"Audit entry {action!r} written outside a transaction: call it from a service."
        )


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    if action not in _ACTIONS:
        raise KeyError(f"Undeclared audit action {action!r}")
    _require_transaction(action)
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=to_jsonable(dict(changes or {})),
        data=to_jsonable(dict(data or {})),
        reason=reason,
        source=current_source.get(),
    )


def record_changes(
    *,
    actor: Actor,
    action: str | Callable[[dict[str, list[Any]]], str],
    obj: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> dict[str, list[Any]]:
    """Record what an update changed (``before`` and ``after`` are ``snapshot``s of the same
    fields) and return the changes; an update that changed nothing writes no entry. ``action``
    may be a function of the changes, for updates that say more than "changed" (a renaming,
    a deactivation)."""
    changes = diff(before, after)
    if changes:
        code = action(changes) if callable(action) else action
        record(actor=actor, action=code, obj=obj, changes=changes, data=data, reason=reason)
    return changes


def record_many(
    *,
    actor: Actor,
    action: str,
    objects: Iterable[models.Model],
    changes_by_pk: Mapping[Any, Mapping[str, Any]] | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
    batch_size: int = 2000,
) -> int:
    """One entry per object of a bulk change, written with bulk INSERTs."""
    if action not in _ACTIONS:
        raise KeyError(f"Undeclared audit action {action!r}")
    _require_transaction(action)
    actor_fields = _actor_fields(actor)
    now = timezone.now()
    source = current_source.get()
    payload = to_jsonable(dict(data or {}))
    content_types: dict[type, ContentType] = {}
    entries = []
    for obj in objects:
        model = type(obj)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(obj)
        entries.append(
            AuditEntry(
                **actor_fields,
                at=now,
                action=action,
                content_type=content_types[model],
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                changes=to_jsonable(dict((changes_by_pk or {}).get(obj.pk, {}))),
                data=payload,
                reason=reason,
                source=source,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


def _model_field(entry: AuditEntry, field_name: str) -> Any:
    """The model field a change names: of the entry's object, else the one field of that name
    in the object's app (a change recorded on a person may name an income's "amount", or an
    address's "registration.district")."""
    model = entry.content_type.model_class() if entry.content_type is not None else None
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name)
    except FieldDoesNotExist:  # a related object's field, or one removed since
        return _app_field(model._meta.app_label, field_name.rsplit(".", 1)[-1])


@functools.cache
def _app_field(app_label: str, name: str) -> Any:
    found = {}
    for model in apps.get_app_config(app_label).get_models():
        with contextlib.suppress(FieldDoesNotExist):
            model_field = model._meta.get_field(name)
            if model_field.concrete:
                found[str(model_field.verbose_name)] = model_field
    # Two fields of one name but different meanings: the name says nothing certain.
    return next(iter(found.values())) if len(found) == 1 else None


def source_label(code: str) -> str:
    """Where an entry came from, in the reader's language (an unknown code as it is)."""
    return str(SOURCE_LABELS.get(code, code))


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_LEADING_ACTOR = re.compile(r"^\s*%\(actor\)s\s*:?\s*")


def action_label(code: str) -> str:
    """An action as a reader names it, in her language: its sentence without the actor, the
    particulars left as "…" ("Created the account … with the role «…»"). Derived from the
    sentence, so a new action needs no second text; an undeclared code reads as itself."""
    spec = _ACTIONS.get(code)
    if spec is None:
        return code
    text = _PLACEHOLDER.sub("…", _LEADING_ACTOR.sub("", str(spec.sentence)))
    text = " ".join(text.split()).strip(" :")
    return text[:1].upper() + text[1:]


def _number(value: Any, places: int | None = None) -> str:
    # Thousands are set apart from five digits on, as Russian typography does (2026, 24 801),
    # so a year or a small count is not split.
    grouped = abs(decimal.Decimal(str(value))) >= 10000
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        places,
        formats.get_format("NUMBER_GROUPING") if grouped else 0,
        formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=grouped,
    )


def _formatted(model_field: models.Field, value: Any) -> Any:
    """A stored number or date in the reader's format ("24 801,00", "07.12.2026")."""
    if isinstance(value, bool) or value in (None, ""):
        return value
    with contextlib.suppress(TypeError, ValueError, decimal.InvalidOperation):
        if isinstance(model_field, models.DecimalField):
            # As many decimals as were stored: "250.00" is money, "30000" a count.
            number = decimal.Decimal(str(value))
            return _number(number, max(0, -int(number.as_tuple().exponent)))
        if isinstance(model_field, models.IntegerField | models.FloatField):
            return _number(value)
        if isinstance(model_field, models.DateTimeField):
            moment = parse_datetime(str(value))
            if moment is not None:
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        elif isinstance(model_field, models.DateField):
            day = parse_date(str(value))
            if day is not None:
                return formats.date_format(day, "SHORT_DATE_FORMAT")
        elif isinstance(model_field, models.TimeField):
            moment_of_day = parse_time(str(value))
            if moment_of_day is not None:
                return formats.time_format(moment_of_day, "TIME_FORMAT")
    return value


def field_value(entry: AuditEntry, field_name: str, value: Any) -> Any:
    """A stored value as a person reads it: the label of a choice, a number or a date in the
    reader's format, else the value itself."""
    model_field = _model_field(entry, field_name)
    if model_field is None:
        return value
    if model_field.choices and isinstance(value, str | int):
        return dict(model_field.flatchoices).get(value, value)
    return _formatted(model_field, value)


def field_label(entry: AuditEntry, field_name: str) -> str:
    model_field = _model_field(entry, field_name)
    return str(model_field.verbose_name) if model_field is not None else field_name


def sentence(entry: AuditEntry) -> str:
    """The entry as a sentence in the active language."""
    spec = _ACTIONS.get(entry.action)
    params = {k: v for k, v in (entry.data or {}).items() if isinstance(v, str | int | float)}
    for key, render in (spec.renderers if spec else {}).items():
        # A code retired since the entry was written reads as itself.
        if key in params:
            with contextlib.suppress(KeyError, ValueError):
                params[key] = str(render(params[key]))
    params.update(actor=entry.actor_name or _("System"), object=entry.object_repr)
    if spec is None:
        return _("%(actor)s: %(action)s on %(object)s") % {**params, "action": entry.action}
    try:
        return str(spec.sentence) % params
    except (KeyError, TypeError, ValueError):
        return f"{params['actor']}: {entry.action} {entry.object_repr}"
