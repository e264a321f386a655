"""A person's secret address of the events' calendar feed: made, replaced and revoked by its
owner. The secret is returned once and only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.models import User
from opora.core.permissions import has_permission

from .. import audit_actions as actions
from ..access import COOPERATION_VIEW
from ..models import CalendarFeedToken

__all__ = ["feed_secret_hash", "feed_token_make", "feed_token_revoke"]


def feed_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _feed_owner(actor: Actor) -> User:
    """Only a person's own account has a feed, and only if she may see the events (the
    system has none: a feed shows what one person may see)."""
    user = audit.acting_user(actor)
    if user is None or not has_permission(actor, COOPERATION_VIEW):
        raise DomainError(
            "forbidden", _("Only a person who sees the events has a calendar feed."), status=403
        )
    return user


def _revoke_active(actor: Actor, user: User) -> int:
    revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(actor=actor, action=actions.FEED_ADDRESS_REVOKED, obj=user)
    return revoked


@transaction.atomic
def feed_token_make(*, actor: Actor) -> tuple[CalendarFeedToken, str]:
    """A new secret address for the actor's feed; the one she had stops working."""
    user = _feed_owner(actor)
    _revoke_active(actor, user)
    secret = secrets.token_urlsafe(32)
    token = CalendarFeedToken.objects.create(user=user, key_hash=feed_secret_hash(secret))
    audit.record(actor=actor, action=actions.FEED_ADDRESS_MADE, obj=user)
    return token, secret


@transaction.atomic
def feed_token_revoke(*, actor: Actor) -> bool:
    """The actor's feed address stops working. Returns whether there was one."""
    return bool(_revoke_active(actor, _feed_owner(actor)))
