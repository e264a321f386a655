"""Who acts: a signed-in user, or the system.

Every service and selector takes an ``actor``. It is a user (``request.user`` in views and API
handlers) or ``SYSTEM``, the explicit actor of management commands, background tasks and the demo
loader: the system sees everything, holds every permission, and the audit log shows it as
"System". ``None`` is not an actor: a service reached without one is a programming error, refused
loudly rather than read as "sees nothing" in one place and "sees everything" in another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class SystemActor:
    """The actor of commands, tasks and the demo. One instance, ``SYSTEM``."""

    is_authenticated: Final = True
    is_active: Final = True
    is_superuser: Final = True
    is_anonymous: Final = False
    is_system: Final = True
    pk = None
    role = ""
    username = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext("System")

    def __reduce__(self) -> str:
        return "SYSTEM"  # pickled as the one instance (tasks and caches keep it so)


SYSTEM: Final = SystemActor()

# What every service and selector accepts. An anonymous visitor reaches a selector only through a
# public page, where she sees what anybody may.
Actor: TypeAlias = "User | SystemActor | AnonymousUser"


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def require_actor(actor: Any) -> None:
    """Refuse a missing actor: the caller forgot to say who acts."""
    if actor is None:
        raise TypeError("An actor is required: pass request.user, or SYSTEM for the system.")
