"""API tokens verified against the database once and then kept in the process for a few seconds.

Verifying a token costs a query for the token with its account, and a staff account's scope
another for her institutions: on the API's short reads that was a fifth of a request's work and
two of its round trips. A verified token is kept with its account and institutions for
``settings.API_TOKEN_CACHE_SECONDS`` (``OPORA_API_TOKEN_CACHE_SECONDS``, 5; 0 keeps nothing).

Nothing kept outlives a change made through the ORM: saving or deleting a token (revoking it),
saving or deleting an account (deactivating it, another role), or changing her institutions
drops every kept token in this process at once and, once the change is committed, writes a new
credentials stamp in ``OPORA_VAR_DIR``. Every process on the machine (web workers, the task
worker, commands) reads the stamp before it trusts a kept token (a few microseconds) and drops
what it kept when the stamp is new. A write that goes around the ORM's signals
(``QuerySet.update``, SQL by hand) is seen when the kept token's seconds are up.
"""

from __future__ import annotations

import copy
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import ApiToken, User
from .scoping import Scope


@dataclass(frozen=True)
class _Kept:
    user: User  # a template: each request gets its own copy
    expires_at: datetime | None
    verified_at: float  # time.monotonic()
    stamp: bytes


_kept: dict[str, _Kept] = {}  # by the token's hash
_stamp_seen = b""


def _stamp_path() -> Path:
    return Path(settings.VAR_DIR) / "credentials.stamp"


def _read_stamp() -> bytes:
    try:
        with open(_stamp_path(), "rb") as stamp:
            return stamp.read()
    except FileNotFoundError:
        return b""


def current_stamp() -> bytes:
    """The credentials stamp, dropping every kept token when it changed since the last look."""
    global _stamp_seen
    stamp = _read_stamp()
    if stamp != _stamp_seen:
        _kept.clear()
        _stamp_seen = stamp
    return stamp


def kept_user(key_hash: str, stamp: bytes, now: datetime) -> User | None:
    """The account of a token verified moments ago, as a copy of its own (a request may change
    its ``request.user``), or None: not verified here lately, expired, or a credential changed
    since (``stamp`` is ``current_stamp()``)."""
    kept = _kept.get(key_hash)
    if kept is None or kept.stamp != stamp:
        return None
    if time.monotonic() - kept.verified_at >= settings.API_TOKEN_CACHE_SECONDS:
        _kept.pop(key_hash, None)
        return None
    if kept.expires_at is not None and kept.expires_at <= now:
        return None
    return copy.copy(kept.user)


def keep(key_hash: str, token: ApiToken, stamp: bytes) -> User:
    """Keep a token just verified and return its account for the request. ``stamp`` is the one
    read before the token was looked up, so a change committed meanwhile leaves it unused."""
    if settings.API_TOKEN_CACHE_SECONDS <= 0:
        return token.user
    user = token.user
    Scope.of(user)  # her institutions, which Scope keeps on the account
    _kept[key_hash] = _Kept(copy.copy(user), token.expires_at, time.monotonic(), stamp)
    return user


def forget_all() -> None:
    """Drop every kept token here now, and everywhere once the current transaction commits."""
    _kept.clear()
    transaction.on_commit(_write_stamp)


def _write_stamp() -> None:
    _kept.clear()
    path = _stamp_path()
    fresh = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fresh.write_bytes(secrets.token_bytes(16))
    os.replace(fresh, path)  # atomic: a reader sees the old stamp or the new one


@receiver(post_save, sender=ApiToken, dispatch_uid="opora.core.token_cache.token_saved")
@receiver(post_delete, sender=ApiToken, dispatch_uid="opora.core.token_cache.token_deleted")
@receiver(post_delete, sender=User, dispatch_uid="opora.core.token_cache.user_deleted")
def _credential_changed(sender, **kwargs) -> None:
    forget_all()


@receiver(post_save, sender=User, dispatch_uid="opora.core.token_cache.user_saved")
def _account_saved(sender, update_fields=None, **kwargs) -> None:
    # A sign-in only stamps last_login: nothing a token's verification reads.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    forget_all()


@receiver(
    m2m_changed, sender=User.institutions.through, dispatch_uid="opora.core.token_cache.scope"
)
def _institutions_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        forget_all()
