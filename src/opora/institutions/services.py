from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.errors import DomainError, reject_unknown_fields, validated

from .audit_actions import INSTITUTION_CREATED, INSTITUTION_UPDATED
from .models import Institution

EDITABLE_FIELDS = ("code", "name", "name_en", "short_name", "address", "is_active")


@transaction.atomic
def institution_create(
    *,
    actor: Any,
    code: str,
    name: str,
    name_en: str = "",
    short_name: str = "",
    address: str = "",
) -> Institution:
    if Institution.objects.filter(code=code).exists():
        raise DomainError(
            "code_taken",
            _("An institution with the code %(code)s already exists.") % {"code": code},
            details={"code": [_("Choose another code.")]},
        )
    institution = validated(
        Institution(code=code, name=name, name_en=name_en, short_name=short_name, address=address)
    )
    institution.save()
    audit.record(
        actor=actor,
        action=INSTITUTION_CREATED,
        obj=institution,
        changes=audit.diff({}, audit.snapshot(institution, EDITABLE_FIELDS)),
    )
    return institution


@transaction.atomic
def institution_update(
    *, actor: Any, institution: Institution, reason: str = "", **fields: Any
) -> Institution:
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = audit.snapshot(institution, EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(institution, name, value)
    validated(institution).save()
    changes = audit.diff(before, audit.snapshot(institution, EDITABLE_FIELDS))
    if changes:
        audit.record(
            actor=actor, action=INSTITUTION_UPDATED, obj=institution, changes=changes, reason=reason
        )
    return institution
