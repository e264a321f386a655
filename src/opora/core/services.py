"""Every write of the core app: accounts, preferences and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .accessibility import AccessibilityPrefs
from .actors import Actor
from .audit_actions import (
    PREFERENCES_CHANGED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    USER_CREATED,
    USER_DEACTIVATED,
    USER_PASSWORD_SET,
    USER_UPDATED,
)
from .errors import DomainError, reject_unknown_fields, validated
from .models import ApiToken, User
from .roles import INSTITUTION_STAFF_ROLES, Role

USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "role",
    "is_active",
    "preferred_language",
    "institutions",
)


def check_role_and_institutions(role: str, institutions: Iterable[Any]) -> None:
    if role not in Role.values:
        raise DomainError("invalid_role", _("Unknown role."), details={"role": [role]})
    if role in INSTITUTION_STAFF_ROLES and not list(institutions):
        raise DomainError(
            "institution_required",
            _("A member of staff must belong to at least one institution."),
            details={"institutions": [_("Choose at least one institution.")]},
        )


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    role: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    patronymic: str = "",
    email: str = "",
    institutions: Iterable[Any] = (),
    preferred_language: str = "",
    is_service_account: bool = False,
    validate: bool = True,
) -> User:
    institutions = list(institutions)
    check_role_and_institutions(role, institutions)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            "username_taken",
            _("The user name %(username)s is already taken.") % {"username": username},
            details={"username": [_("Choose another user name.")]},
        )
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        email=email,
        preferred_language=preferred_language,
        is_service_account=is_service_account,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if password:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise DomainError(
                    "weak_password",
                    _("The password is too weak."),
                    details={"password": list(exc.messages)},
                ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    validated(user, exclude=["password"])
    user.save()
    user.institutions.set(institutions)
    audit.record(
        actor=actor,
        action=USER_CREATED,
        obj=user,
        changes=audit.diff({}, audit.snapshot(user, USER_FIELDS)),
        data={"role": role},
    )
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, reason: str = "", **fields: Any) -> User:
    reject_unknown_fields(fields, USER_FIELDS)
    user = User.objects.select_for_update().get(pk=user.pk)
    before = audit.snapshot(user, USER_FIELDS)
    institutions = fields.pop("institutions", None)
    for name, value in fields.items():
        setattr(user, name, value)
    check_role_and_institutions(
        user.role, institutions if institutions is not None else user.institutions.all()
    )
    user.is_staff = user.role == Role.ADMINISTRATOR
    validated(user, exclude=["password"])
    user.save()
    if institutions is not None:
        user.institutions.set(institutions)
    audit.record_changes(
        actor=actor,
        action=lambda changes: (
            USER_DEACTIVATED if changes.get("is_active") == [True, False] else USER_UPDATED
        ),
        obj=user,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
        reason=reason,
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "weak_password", _("The password is too weak."), details={"password": exc.messages}
        ) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action=USER_PASSWORD_SET, obj=user)


@transaction.atomic
def preferences_update(
    *,
    actor: User,
    language: str | None = None,
    accessibility: AccessibilityPrefs | None = None,
) -> User:
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {"preferred_language": user.preferred_language, "accessibility": user.accessibility}
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise DomainError("invalid_language", _("This language is not available."))
        user.preferred_language = language
    if accessibility is not None:
        user.accessibility = accessibility.as_dict()
    after = {"preferred_language": user.preferred_language, "accessibility": user.accessibility}
    changes = audit.diff(before, after)
    if changes:
        user.save(update_fields=["preferred_language", "accessibility"])
        audit.record(actor=actor, action=PREFERENCES_CHANGED, obj=user, changes=changes)
    actor.preferred_language = user.preferred_language
    actor.accessibility = user.accessibility
    return user


def hash_token_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token; the returned key is shown once and never stored."""
    if not name.strip():
        raise DomainError(
            "name_required",
            _("Give the token a name."),
            details={"name": [_("This field is required.")]},
        )
    prefix = secrets.token_hex(4)
    key = f"opora_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, key_hash=hash_token_key(key)
    )
    audit.record(actor=actor, action=TOKEN_CREATED, obj=token, data={"user": user.username})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=TOKEN_REVOKED, obj=token)
    return token
