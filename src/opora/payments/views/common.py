"""What the payments pages share: whether a reader may follow a link to a person's page."""

from __future__ import annotations

from opora.core.actors import Actor
from opora.core.permissions import has_permission
from opora.registry.access import PERSON_VIEW


def may_open_person(actor: Actor) -> bool:
    """The registry's own check on a person's page (``registry.views.person_detail``): the
    department's accountants pay people without holding it, and a link they cannot follow
    is a 403."""
    return has_permission(actor, PERSON_VIEW)
