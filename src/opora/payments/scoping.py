"""Who sees which payments rows. The department's accountants see every institution's rows (the
payroll is the department's); everyone else through the project's one scope (``core.scoping``):
the institutions' staff their institutions' rows, the analyst aggregates only."""

from __future__ import annotations

from django.db.models import QuerySet

from opora.core.actors import Actor, is_system, require_actor
from opora.core.roles import Role
from opora.core.scoping import Scope


def is_accountant(actor: Actor) -> bool:
    require_actor(actor)
    return (
        not is_system(actor)
        and actor.is_authenticated
        and actor.is_active
        and getattr(actor, "role", "") == Role.ACCOUNTANT
    )


def rows(
    actor: Actor, qs: QuerySet, *, via: str, personal: bool = True, many: bool = False
) -> QuerySet:
    if is_accountant(actor):
        return qs
    return Scope.of(actor).rows(qs, via=via, personal=personal, many=many)


def aggregates(actor: Actor, qs: QuerySet, *, via: str) -> QuerySet:
    if is_accountant(actor):
        return qs
    return Scope.of(actor).aggregates(qs, via=via)
