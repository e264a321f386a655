"""Declared permissions: each app names what a role may do, and every view and endpoint says
which permission it needs. Administrators hold every permission."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .actors import Actor, is_system, require_actor
from .roles import Role

PUBLIC = "public"


@dataclass(frozen=True)
class Permission:
    code: str
    label: Any
    roles: frozenset[str]


_REGISTRY: dict[str, Permission] = {}


def declare(code: str, label: Any, roles: Iterable[str]) -> str:
    """Declare a permission once, at import time of the app that owns it; returns its code."""
    if code in _REGISTRY and _REGISTRY[code].roles != frozenset(roles):
        raise ValueError(f"Permission {code!r} is declared twice with different roles")
    _REGISTRY[code] = Permission(code=code, label=label, roles=frozenset(roles))
    return code


def registered() -> dict[str, Permission]:
    return dict(_REGISTRY)


def has_permission(user: Actor, code: str) -> bool:
    """Whether ``user`` may do what ``code`` names; the system (``SYSTEM``) may do everything."""
    if code == PUBLIC:
        return True
    if code not in _REGISTRY:
        raise KeyError(f"Undeclared permission {code!r}")
    require_actor(user)
    if is_system(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    return user.role in _REGISTRY[code].roles


def require(code: str) -> Callable:
    """Mark a view with the permission it needs and enforce it.

    Anonymous visitors are sent to the login page; signed-in users without the permission get
    403. The code is kept on the function so a test can prove that every view declares one.
    """
    if code != PUBLIC and code not in _REGISTRY:
        raise KeyError(f"Undeclared permission {code!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if code != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not has_permission(request.user, code):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.opora_permission = code  # type: ignore[attr-defined]
        return wrapped

    return decorator
