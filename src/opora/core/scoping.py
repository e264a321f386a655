"""One scoping mechanism for every selector.

Staff see the rows of their institutions, analysts see aggregates (rows only where the data is
not personal), administrators and the system (``SYSTEM``: commands, tasks, the demo) see
everything, and anyone else sees nothing. A missing actor is refused (``actors.require_actor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .actors import Actor, SystemActor, require_actor
from .roles import INSTITUTION_STAFF_ROLES, Role


class Reach(Enum):
    ALL = "all"
    INSTITUTIONS = "institutions"
    AGGREGATES = "aggregates"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Scope:
    reach: Reach
    institution_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, actor: Actor) -> Scope:
        require_actor(actor)
        if isinstance(actor, SystemActor):
            return cls(Reach.ALL)
        if not actor.is_authenticated or not actor.is_active:
            return cls(Reach.NOTHING)
        if actor.is_superuser or actor.role == Role.ADMINISTRATOR:
            return cls(Reach.ALL)
        if actor.role == Role.ANALYST:
            return cls(Reach.AGGREGATES)
        if actor.role in INSTITUTION_STAFF_ROLES:
            cached = getattr(actor, "_opora_institution_ids", None)
            if cached is None:
                cached = frozenset(actor.institutions.values_list("pk", flat=True))
                actor._opora_institution_ids = cached  # type: ignore[attr-defined]
            return cls(Reach.INSTITUTIONS, cached)
        return cls(Reach.NOTHING)

    def rows(
        self, queryset: QuerySet, *, via: str, personal: bool = True, many: bool = False
    ) -> QuerySet:
        """Restrict ``queryset`` to what this scope may see row by row.

        ``via`` is the lookup path from the model to its institution (``"pk"`` for institutions
        themselves, ``"institution"`` or ``"case__institution"`` for others). Personal rows are
        hidden from analysts, who read them only through aggregate selectors. ``many`` marks a
        path through a many-valued relation (a person served by several institutions), which is
        filtered through a subquery so that no row comes twice.
        """
        if self.reach is Reach.ALL:
            return queryset
        if self.reach is Reach.AGGREGATES:
            return queryset.none() if personal else queryset
        if self.reach is Reach.INSTITUTIONS:
            if not self.institution_ids:
                return queryset.none()
            if many:
                return queryset.filter(self._any_related(queryset.model, via))
            return queryset.filter(**{f"{via}__in": self.institution_ids})
        return queryset.none()

    def _any_related(self, model: Any, via: str) -> Exists | Q:
        """The condition "one of the rows on the many-valued path ``via`` is in scope".

        When the path begins with a reverse foreign key (``service_links__institution``), an
        EXISTS on the related table: the planner probes its index once per candidate row, where
        ``pk IN (…)`` would first collect every row of the institutions (tens of thousands) for
        a search that looks at a few hundred. Other paths: a subquery on the model itself."""
        first, _, rest = via.partition("__")
        relation = model._meta.get_field(first)
        if rest and relation.one_to_many:
            related = relation.related_model._default_manager.filter(
                **{relation.field.name: OuterRef("pk"), f"{rest}__in": self.institution_ids}
            )
            return Exists(related)
        matching = model._default_manager.filter(**{f"{via}__in": self.institution_ids})
        return Q(pk__in=matching.values("pk"))

    def aggregates(self, queryset: QuerySet, *, via: str, many: bool = False) -> QuerySet:
        """The rows an aggregate may be computed over: analysts count the whole department."""
        if self.reach in (Reach.ALL, Reach.AGGREGATES):
            return queryset
        return self.rows(queryset, via=via, many=many)

    @property
    def sees_everything(self) -> bool:
        return self.reach is Reach.ALL
