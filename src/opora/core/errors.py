from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused an operation.

    ``code`` is stable and machine-readable; ``message`` is translated for the person who sees
    it; ``details`` may name fields (``{"field": ["message", ...]}``) or carry other facts. The
    API turns it into a 4xx JSON body, the UI into a message next to the field.
    """

    status = 400

    def __init__(
        self, code: str, message: Any, *, details: dict | None = None, status: int | None = None
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status

    def as_body(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


def require_choice(
    value: Any,
    choices: Any,
    *,
    field: str,
    code: str = "invalid_choice",
    message: Any = None,
    hint: Any = None,
) -> Any:
    """``value`` if it is one of ``choices`` (a Django ``Choices`` class or any collection of
    values); otherwise a refusal naming ``field``. ``message`` is said above the form and
    ``hint`` next to the field (both "Choose one of the offered values." unless given)."""
    from django.utils.translation import gettext as _

    allowed = getattr(choices, "values") if isinstance(choices, type) else choices  # noqa: B009
    if value not in allowed:
        offered = _("Choose one of the offered values.")
        raise DomainError(code, message or offered, details={field: [hint or message or offered]})
    return value


def from_validation_error(exc: Any, code: str = "invalid") -> DomainError:
    """Wrap Django's ValidationError from ``full_clean`` into a DomainError with field details."""
    from django.utils.translation import gettext as _

    details = (
        {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {"__all__": [str(m) for m in exc.messages]}
    )
    return DomainError(code, _("Some fields are not valid."), details=details)


def reject_unknown_fields(fields: Any, allowed: Any) -> None:
    """An update service names what it may change; anything else is refused, not ignored."""
    from django.utils.translation import gettext as _

    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(
            "unknown_fields",
            _("These fields cannot be changed here."),
            details={name: [_("Not editable.")] for name in sorted(unknown)},
        )


def validated(instance: Any, *, exclude: list[str] | None = None) -> Any:
    """``full_clean`` with the model's own rules, refused as a DomainError naming the fields."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    return instance
