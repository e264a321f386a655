"""Every write of the catalogue: services, their forms and tariffs, and the register of
providers. Keyword-only, actor first, one transaction with its audit entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, reject_unknown_fields, validated
from opora.institutions.models import District, Institution, ServiceForm
from opora.institutions.selectors import institution_is_closed_on

from . import audit_actions as actions
from . import selectors
from .models import (
    FORM_ORDER,
    ProviderEntry,
    Service,
    ServiceFormLink,
    ServiceKind,
    ServiceUnit,
    Tariff,
)

SERVICE_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "description_en",
    "kind",
    "regime",
    "periodicity_times",
    "periodicity_unit",
    "unit",
    "standard_duration_minutes",
    "urgent_allowed",
    "is_active",
)
EDITABLE_FIELDS = (*SERVICE_FIELDS, "forms")
ONE_DAY = dt.timedelta(days=1)


def overlapping(valid_from: dt.date, valid_to: dt.date | None) -> Q:
    """Rows whose period meets [valid_from, valid_to]; an empty end is open."""
    q = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    if valid_to is not None:
        q &= Q(valid_from__lte=valid_to)
    return q


def _period_ordered(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(
            "period_reversed",
            _("The period ends before it starts."),
            details={"valid_to": [_("Check the dates.")]},
        )


def _form_code(form: str, *, field: str = "form") -> str:
    if form not in ServiceForm.values:
        raise DomainError(
            "unknown_form",
            _(
                "%(form)s is not a form of social service: use home, semi_residential or "
                "residential."
            )
            % {"form": form or "—"},
            details={field: [_("Unknown form.")]},
        )
    return form


def checked_forms(forms: Iterable[str]) -> list[str]:
    """The forms of a service, each known, in the order of the law; at least one."""
    codes = {_form_code(form, field="forms") for form in forms}
    if not codes:
        raise DomainError(
            "no_forms",
            _("Choose at least one form the service is given in."),
            details={"forms": [_("Choose at least one form.")]},
        )
    return sorted(codes, key=FORM_ORDER.__getitem__)


def _money(value: Any, *, field: str = "price") -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(
            "invalid_price",
            _("The price %(value)s is not a number.") % {"value": value},
            details={field: [_("Enter an amount in roubles, e.g. 250.00.")]},
        ) from exc
    if not amount.is_finite():
        raise DomainError(
            "invalid_price",
            _("The price %(value)s is not a number.") % {"value": value},
            details={field: [_("Enter an amount in roubles, e.g. 250.00.")]},
        )
    if amount < 0:
        raise DomainError(
            "negative_tariff",
            _("A tariff cannot be negative: %(value)s.") % {"value": amount},
            details={field: [_("Enter zero or more.")]},
        )
    return amount


def _search_text(service: Service) -> str:
    return " ".join((service.code, service.name, service.name_en)).casefold()


def _code_free(code: str, exclude_pk: int | None = None) -> None:
    others = Service.objects.filter(code=code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise Conflict(
            "code_taken",
            _("A service with the code %(code)s already exists.") % {"code": code},
            details={"code": [_("Choose another code.")]},
        )


def _set_forms(service: Service, forms: list[str]) -> None:
    ServiceFormLink.objects.filter(service=service).exclude(form__in=forms).delete()
    present = set(ServiceFormLink.objects.filter(service=service).values_list("form", flat=True))
    ServiceFormLink.objects.bulk_create(
        ServiceFormLink(service=service, form=form) for form in forms if form not in present
    )


@transaction.atomic
def service_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: ServiceKind,
    forms: Iterable[str],
    regime: str,
    standard_duration_minutes: int,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    periodicity_times: int | None = None,
    periodicity_unit: str = "",
    unit: str = ServiceUnit.SERVICE,
    urgent_allowed: bool = False,
) -> Service:
    form_codes = checked_forms(forms)
    _code_free(code)
    service = Service(
        code=code,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        kind=kind,
        regime=regime,
        periodicity_times=periodicity_times,
        periodicity_unit=periodicity_unit,
        unit=unit,
        standard_duration_minutes=standard_duration_minutes,
        urgent_allowed=urgent_allowed,
    )
    service.search_text = _search_text(service)
    validated(service).save()
    _set_forms(service, form_codes)
    audit.record(
        actor=actor,
        action=actions.SERVICE_CREATED,
        obj=service,
        changes=audit.diff({}, audit.snapshot(service, SERVICE_FIELDS)),
        data={"forms": ",".join(form_codes)},
    )
    return service


def _forms_still_provided(service: Service, removed: set[str]) -> None:
    """A form cannot leave a service while a provider gives it in that form now or later."""
    if not removed:
        return
    in_use = set(
        ProviderEntry.objects.filter(service=service, form__in=removed)
        .filter(overlapping(timezone.localdate(), None))
        .values_list("form", flat=True)
    )
    if in_use:
        raise Conflict(
            "form_in_use",
            _("Providers give this service %(forms)s: end their entries first.")
            % {"forms": actions.forms_label(",".join(sorted(in_use)))},
            details={"forms": [_("Still in the register of providers.")]},
        )


@transaction.atomic
def service_update(*, actor: Actor, service: Service, reason: str = "", **fields: Any) -> Service:
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    service = Service.objects.select_for_update().get(pk=service.pk)
    forms = fields.pop("forms", None)
    before = audit.snapshot(service, SERVICE_FIELDS)
    forms_before = service.forms
    if "code" in fields and fields["code"] != service.code:
        _code_free(fields["code"], exclude_pk=service.pk)
    for name, value in fields.items():
        setattr(service, name, value)
    service.search_text = _search_text(service)
    validated(service).save()
    audit.record_changes(
        actor=actor,
        action=actions.SERVICE_UPDATED,
        obj=service,
        before=before,
        after=audit.snapshot(service, SERVICE_FIELDS),
        reason=reason,
    )
    if forms is not None:
        form_codes = checked_forms(forms)
        if form_codes != forms_before:
            _forms_still_provided(service, set(forms_before) - set(form_codes))
            _set_forms(service, form_codes)
            audit.record(
                actor=actor,
                action=actions.SERVICE_FORMS_SET,
                obj=service,
                data={"forms": ",".join(form_codes)},
                reason=reason,
            )
    return service


def _form_of_service(service: Service, form: str) -> str:
    _form_code(form)
    if form not in service.forms:
        raise DomainError(
            "form_not_offered",
            _("The service %(service)s is not given %(form)s.")
            % {"service": service, "form": actions.form_label(form)},
            details={"form": [_("Choose a form the service is given in.")]},
        )
    return form


def _period_data(valid_from: dt.date, valid_to: dt.date | None) -> dict[str, str]:
    return {
        "valid_from": valid_from.isoformat(),
        "valid_to": valid_to.isoformat() if valid_to else "",
    }


@transaction.atomic
def tariff_add(
    *,
    actor: Actor,
    service: Service,
    price: Decimal | int | str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    form: str = "",
) -> Tariff:
    """Set the price of one unit of ``service`` from ``valid_from``, for one form or (empty
    ``form``) for every form without its own tariff.

    An open tariff (no end date) replaces the open one in force before it, which ends the day
    before; any other overlap with a tariff of the same service and form is refused.
    """
    # One tariff change of a service at a time: the overlap check below reads, then writes.
    service = Service.objects.select_for_update().get(pk=service.pk)
    if form:
        _form_of_service(service, form)
    amount = _money(price)
    _period_ordered(valid_from, valid_to)
    same_line = Tariff.objects.filter(service=service, form=form)
    meeting = list(same_line.filter(overlapping(valid_from, valid_to)).order_by("valid_from"))
    duplicate = next((t for t in meeting if t.valid_from == valid_from), None)
    if duplicate is not None:
        raise Conflict(
            "tariff_duplicate",
            _("The service already has a tariff from %(date)s for %(form)s.")
            % {"date": valid_from.strftime("%d.%m.%Y"), "form": actions.form_label(form)},
            details={"valid_from": [_("Choose another date, or end the existing tariff.")]},
        )
    replaced = None
    earlier_open = meeting and meeting[0].valid_from < valid_from and meeting[0].valid_to is None
    if valid_to is None and earlier_open:
        replaced = meeting.pop(0)
    if meeting:
        clash = meeting[0]
        raise Conflict(
            "tariff_overlaps",
            _("The period overlaps the tariff of %(price)s roubles valid %(start)s–%(end)s.")
            % {
                "price": clash.price,
                "start": clash.valid_from.strftime("%d.%m.%Y"),
                "end": clash.valid_to.strftime("%d.%m.%Y") if clash.valid_to else "…",
            },
            details={"valid_from": [_("The periods overlap.")]},
        )
    if replaced is not None:
        replaced.valid_to = valid_from - ONE_DAY
        validated(replaced).save(update_fields=["valid_to", "updated_at"])
        audit.record(
            actor=actor,
            action=actions.TARIFF_ENDED,
            obj=service,
            data={
                "tariff": replaced.pk,
                "form": form,
                "price": str(replaced.price),
                **_period_data(replaced.valid_from, replaced.valid_to),
            },
        )
    tariff = validated(
        Tariff(service=service, form=form, price=amount, valid_from=valid_from, valid_to=valid_to)
    )
    tariff.save()
    audit.record(
        actor=actor,
        action=actions.TARIFF_ADDED,
        obj=service,
        data={
            "tariff": tariff.pk,
            "form": form,
            "price": str(amount),
            **_period_data(valid_from, valid_to),
        },
    )
    return tariff


def _may_manage(actor: Actor, institution: Institution) -> None:
    if not selectors.institutions_in_management(actor=actor).filter(pk=institution.pk).exists():
        raise DomainError(
            "not_your_institution",
            _("You may enter and end the providers of your own institution only."),
            details={"institution": [_("Not your institution.")]},
            status=403,
        )


def _entry_data(entry: ProviderEntry) -> dict[str, Any]:
    return {
        "entry": entry.pk,
        "institution": entry.institution.name,
        "form": entry.form,
        "district": entry.district.name,
        **_period_data(entry.valid_from, entry.valid_to),
    }


@transaction.atomic
def provider_add(
    *,
    actor: Actor,
    institution: Institution,
    service: Service,
    form: str,
    district: District,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    price: Decimal | int | str | None = None,
    capacity: int | None = None,
) -> ProviderEntry:
    """Enter ``institution`` in the register as a provider of ``service`` in ``form`` and
    ``district``. ``price`` is its own tariff; without one the catalogue tariff applies."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution_is_closed_on(institution, timezone.localdate()):
        raise DomainError(
            "institution_closed",
            _("%(institution)s is closed and cannot be entered as a provider.")
            % {"institution": institution},
            details={"institution": [_("The institution is closed.")]},
        )
    _may_manage(actor, institution)
    # Read again under a lock: a service retired meanwhile takes no new providers.
    service = Service.objects.select_for_update().get(pk=service.pk)
    if not service.is_active:
        raise DomainError(
            "service_retired",
            _("The service %(service)s is no longer in the catalogue.") % {"service": service},
            details={"service": [_("Choose a service of the catalogue.")]},
        )
    _form_of_service(service, form)
    amount = _money(price) if price not in (None, "") else None
    _period_ordered(valid_from, valid_to)
    clash = (
        ProviderEntry.objects.filter(
            institution=institution, service=service, form=form, district=district
        )
        .filter(overlapping(valid_from, valid_to))
        .order_by("valid_from")
        .first()
    )
    if clash is not None:
        raise Conflict(
            "provider_overlaps",
            _(
                "%(institution)s is already entered for this service, form and district "
                "from %(start)s to %(end)s."
            )
            % {
                "institution": institution,
                "start": clash.valid_from.strftime("%d.%m.%Y"),
                "end": clash.valid_to.strftime("%d.%m.%Y") if clash.valid_to else "…",
            },
            details={"valid_from": [_("The periods overlap.")]},
        )
    entry = validated(
        ProviderEntry(
            institution=institution,
            service=service,
            form=form,
            district=district,
            price=amount,
            capacity=capacity,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    )
    entry.save()
    audit.record(
        actor=actor,
        action=actions.PROVIDER_ADDED,
        obj=service,
        data={
            **_entry_data(entry),
            "price": str(amount) if amount is not None else "",
            "capacity": capacity or "",
        },
    )
    return entry


@transaction.atomic
def provider_end(
    *, actor: Actor, entry: ProviderEntry, valid_to: dt.date, reason: str = ""
) -> ProviderEntry:
    """End an entry on ``valid_to`` (its last day). An entry may be ended earlier, never later."""
    entry = (
        ProviderEntry.objects.select_for_update()
        .select_related("institution", "service", "district")
        .get(pk=entry.pk)
    )
    _may_manage(actor, entry.institution)
    _period_ordered(entry.valid_from, valid_to)
    if entry.valid_to is not None and valid_to >= entry.valid_to:
        raise Conflict(
            "already_ended",
            _("The entry already ends on %(date)s.")
            % {"date": entry.valid_to.strftime("%d.%m.%Y")},
            details={"valid_to": [_("Choose an earlier date.")]},
        )
    entry.valid_to = valid_to
    entry.end_reason = reason
    validated(entry).save(update_fields=["valid_to", "end_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.PROVIDER_ENDED,
        obj=entry.service,
        data=_entry_data(entry),
        reason=reason,
    )
    return entry
