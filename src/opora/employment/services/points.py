"""Service points: institutions of an employment kind as the places job seekers are served."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError
from opora.core.permissions import has_permission
from opora.institutions.models import Institution

from .. import audit_actions as actions
from ..access import SERVICE_POINT_MANAGE
from ..models import EMPLOYMENT_KINDS, ServiceKind, ServicePoint
from .common import choice_list

__all__ = ["service_point_open", "service_point_update"]

FIELDS = ["in_my_documents", "services"]


def _require_manage(actor: Actor) -> None:
    if not has_permission(actor, SERVICE_POINT_MANAGE):
        raise DomainError(
            "forbidden", _("Only administrators open employment service points."), status=403
        )


@transaction.atomic
def service_point_open(
    *,
    actor: Actor,
    institution: Institution,
    in_my_documents: bool = False,
    services: Iterable[str] = (),
) -> ServicePoint:
    _require_manage(actor)
    if institution.kind is None or institution.kind.code not in EMPLOYMENT_KINDS:
        message = _("The institution is not of an employment kind.")
        raise DomainError("not_employment_kind", message, details={"institution": [message]})
    if ServicePoint.objects.filter(pk=institution.pk).exists():
        raise Conflict(
            "service_point_exists",
            _("%(institution)s is already a service point.") % {"institution": institution},
        )
    point = ServicePoint(
        institution=institution,
        in_my_documents=in_my_documents,
        services=choice_list(services, ServiceKind, "services"),
    )
    point.save()
    audit.record(
        actor=actor,
        action=actions.SERVICE_POINT_OPENED,
        obj=point,
        changes=audit.diff({}, audit.snapshot(point, FIELDS)),
    )
    return point


@transaction.atomic
def service_point_update(
    *,
    actor: Actor,
    point: ServicePoint,
    in_my_documents: bool | None = None,
    services: Iterable[str] | None = None,
) -> ServicePoint:
    _require_manage(actor)
    point = ServicePoint.objects.select_for_update().select_related("institution").get(pk=point.pk)
    before = audit.snapshot(point, FIELDS)
    if in_my_documents is not None:
        point.in_my_documents = in_my_documents
    if services is not None:
        point.services = choice_list(services, ServiceKind, "services")
    point.save()
    audit.record_changes(
        actor=actor,
        action=actions.SERVICE_POINT_CHANGED,
        obj=point,
        before=before,
        after=audit.snapshot(point, FIELDS),
    )
    return point
