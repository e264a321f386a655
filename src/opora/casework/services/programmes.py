"""The individual programme of social services (ИППСУ, 442-FZ art. 16) and its versions: drawn
up, its services added from the register of providers and removed while it is a draft, agreed
by the recipient with her written refusal of some services, and a service refused later. It is
reviewed at least once in the years of the rule (art. 16 part 2): a review makes a new version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from opora.catalogue.models import ProviderEntry, Service
from opora.catalogue.selectors import provider_price
from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.institutions.models import ServiceForm
from opora.registry.selectors import categories_of
from opora.rules import selectors as rules
from opora.rules.services import fee_calculate

from .. import audit_actions as actions
from ..models import Case, Programme, ProgrammeItem, ProgrammeReason, ProgrammeStatus
from ..selectors import programme_in_force
from .common import ONE_DAY, _locked, _not_before, _not_future, _refuse_closed, _require_case
from .lifecycle import WITH_PROGRAMME, S, _move, illegal_step

__all__ = [
    "programme_agree",
    "programme_draft",
    "programme_item_add",
    "programme_item_remove",
    "programme_service_refuse",
]


@transaction.atomic
def programme_draft(
    *,
    actor: Actor,
    case: Case,
    form: str,
    drawn_up_on: dt.date,
    income: Decimal,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str | None = None,
    copy_items: bool = True,
) -> Programme:
    """Draw up a version of the programme: the first after recognition, a later one on review
    or when circumstances change (the version in force stays until the new one is agreed)."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    first = case.status == S.RECOGNISED
    if not first and case.status not in WITH_PROGRAMME:
        raise illegal_step(case, S.PROGRAMME_DRAFTED)
    if case.programmes.filter(status=ProgrammeStatus.DRAFT).exists():
        raise Conflict(
            "draft_exists",
            _("A draft version of the programme is already being drawn up: finish it first."),
            details={"form": [_("A draft exists.")]},
        )
    require_choice(
        form,
        ServiceForm,
        field="form",
        code="unknown_form",
        message=_("Unknown form of social service."),
        hint=_("Choose a form."),
    )
    reason = reason or (ProgrammeReason.FIRST if first else ProgrammeReason.REVIEW)
    if reason not in ProgrammeReason.values or (reason == ProgrammeReason.FIRST) != first:
        raise DomainError(
            "wrong_reason",
            _(
                "The first version is drawn up after recognition; later ones on review or when "
                "circumstances change."
            ),
            details={"reason": [_("Choose the reason for this version.")]},
        )
    _not_future(drawn_up_on, "drawn_up_on")
    decision = getattr(case, "decision", None)
    earliest = decision.decided_on if decision else case.applied_on
    _not_before(
        drawn_up_on,
        earliest,
        "drawn_up_on",
        _("The programme cannot be drawn up before the decision on recognition."),
    )
    person = case.person
    # The recipient's facts on the day decide a free ground and the group's minimum.
    held = categories_of(person, on=drawn_up_on)["current"]
    fee = fee_calculate(
        income=Decimal(income),
        service_form=form,
        on=drawn_up_on,
        birth_date=person.birth_date,
        sex=person.sex,
        categories=[holding.kind.code for holding in held],
    )
    review_due = rules.review_due(drawn_up_on)
    valid_from = valid_from or drawn_up_on
    valid_to = valid_to or (review_due - ONE_DAY)
    if valid_to < valid_from:
        raise DomainError(
            "period_reversed",
            _("The programme ends before it starts."),
            details={"valid_to": [_("Must be on or after the start date.")]},
        )
    if valid_to >= review_due:
        raise DomainError(
            "term_past_review",
            _("A programme is reviewed at least by %(date)s: its term must end before that.")
            % {"date": review_due.strftime("%d.%m.%Y")},
            details={"valid_to": [_("Choose an earlier end.")]},
        )
    version = (case.programmes.aggregate(top=Max("version"))["top"] or 0) + 1
    programme = Programme(
        case=case,
        version=version,
        reason=reason,
        form=form,
        drawn_up_on=drawn_up_on,
        valid_from=valid_from,
        valid_to=valid_to,
        review_due=review_due,
        income=fee.income,
        fee_cap=fee.fee_cap,
        is_free=fee.is_free,
        free_ground=fee.free_ground,
        minimum_group="" if fee.free_ground is not None else fee.group,
        fee_is_example=fee.is_example,
        drawn_up_by=audit.acting_user(actor),
    )
    validated(programme).save()
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_DRAFTED,
        obj=case,
        data={
            "version": version,
            "reason": reason,
            "form": form,
            "fee_cap": fee.fee_cap,
            "programme": programme.pk,
        },
    )
    previous = programme_in_force(case)
    if copy_items and previous is not None:
        for item in previous.items.filter(refused_on__isnull=True).select_related(
            "service", "provider"
        ):
            if item.provider.form == form and item.provider.covers(valid_from):
                _add_item(
                    actor=actor,
                    programme=programme,
                    service=item.service,
                    provider=item.provider,
                    volume=item.volume,
                    times=item.times,
                    per=item.per,
                    note=item.note,
                )
    if first:
        _move(actor=actor, case=case, to_status=S.PROGRAMME_DRAFTED, on=drawn_up_on)
    return programme


def _require_draft(programme: Programme) -> None:
    if programme.status != ProgrammeStatus.DRAFT:
        raise Conflict(
            "programme_not_draft",
            _("Version %(version)s of the programme is agreed: draw up a new version to change it.")
            % {"version": programme.version},
            details={"service": [_("Only a draft can be changed.")]},
        )


def _add_item(
    *,
    actor: Actor,
    programme: Programme,
    service: Service,
    provider: ProviderEntry,
    volume: int,
    times: int | None = None,
    per: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> ProgrammeItem:
    starts_on = starts_on or programme.valid_from
    ends_on = ends_on or programme.valid_to
    if provider.service_id != service.pk or provider.form != programme.form:
        raise DomainError(
            "provider_does_not_offer",
            _("%(institution)s does not offer %(service)s %(form)s.")
            % {
                "institution": provider.institution,
                "service": service,
                "form": ServiceForm(programme.form).label,
            },
            details={"provider": [_("Choose a provider of this service in this form.")]},
        )
    if not service.is_active:
        raise DomainError(
            "service_retired",
            _("%(service)s is no longer in the catalogue.") % {"service": service},
            details={"service": [_("Choose a service of the catalogue.")]},
        )
    if not (provider.covers(starts_on) and provider.covers(ends_on)):
        raise DomainError(
            "provider_not_in_register",
            _(
                "%(institution)s is not in the register of providers of %(service)s for the whole "
                "term of the programme."
            )
            % {"institution": provider.institution, "service": service},
            details={"provider": [_("Choose a provider registered for the whole term.")]},
        )
    if not (programme.valid_from <= starts_on <= ends_on <= programme.valid_to):
        raise DomainError(
            "item_outside_term",
            _("A service of the programme is given within the programme's term."),
            details={"starts_on": [_("Must fall within the programme's term.")]},
        )
    if volume is None or int(volume) < 1:
        raise DomainError(
            "volume_not_positive",
            _("State the volume: at least one unit over the term."),
            details={"volume": [_("Enter at least 1.")]},
        )
    if (times is None) != (not per):
        raise DomainError(
            "periodicity_incomplete",
            _("State how many times and per what, or neither."),
            details={"times": [_("Enter both or neither.")]},
        )
    price = provider_price(provider, starts_on)
    if price is None:
        raise DomainError(
            "no_tariff",
            _("%(service)s has no tariff in force on %(date)s at this provider.")
            % {"service": service, "date": starts_on.strftime("%d.%m.%Y")},
            details={"provider": [_("Add a tariff in the catalogue first.")]},
        )
    if programme.items.filter(service=service).exists():
        raise Conflict(
            "service_already_in_programme",
            _("%(service)s is already in this version of the programme.") % {"service": service},
            details={"service": [_("Change the volume of the line already there.")]},
        )
    item = ProgrammeItem(
        programme=programme,
        service=service,
        provider=provider,
        times=times,
        per=per,
        volume=int(volume),
        unit_price=price,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
    )
    validated(item).save()
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_ITEM_ADDED,
        obj=programme.case,
        data={"service": service.code, "version": programme.version, "item": item.pk},
    )
    return item


@transaction.atomic
def programme_item_add(
    *,
    actor: Actor,
    programme: Programme,
    service: Service,
    provider: ProviderEntry,
    volume: int,
    times: int | None = None,
    per: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> ProgrammeItem:
    """A service of the catalogue added to a draft, from a provider that gives it in the
    programme's form, at the provider's price in force."""
    _require_case(actor, programme.case)
    _locked(programme.case)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    return _add_item(
        actor=actor,
        programme=programme,
        service=service,
        provider=provider,
        volume=volume,
        times=times,
        per=per,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
    )


@transaction.atomic
def programme_item_remove(*, actor: Actor, item: ProgrammeItem) -> None:
    _require_case(actor, item.programme.case)
    _locked(item.programme.case)
    # Read again under the lock: the caller's copy may predate the agreement of the version.
    programme = Programme.objects.select_for_update().get(pk=item.programme_id)
    _require_draft(programme)
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_ITEM_REMOVED,
        obj=programme.case,
        data={"service": item.service.code, "version": programme.version},
    )
    item.delete()


@transaction.atomic
def programme_agree(
    *,
    actor: Actor,
    programme: Programme,
    agreed_on: dt.date,
    refused_items: Iterable[ProgrammeItem] = (),
    refusal: str = "",
) -> Programme:
    """The recipient's agreement to a draft, with her written refusal of some services. The
    version in force before it is superseded."""
    case = programme.case
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require_draft(programme)
    items = list(programme.items.all())
    refused_ids = {item.pk for item in refused_items}
    if not refused_ids <= {item.pk for item in items}:
        raise DomainError(
            "item_not_in_programme",
            _("A refused service is not in this version of the programme."),
            details={"refused_items": [_("Choose services of this version.")]},
        )
    if not items or len(refused_ids) == len(items):
        raise DomainError(
            "programme_empty",
            _("The programme lists no service the recipient agrees to."),
            details={
                "refused_items": [
                    _("Keep at least one service she agrees to; refusing them all ends the case.")
                ]
            },
        )
    if refused_ids and not refusal.strip():
        raise DomainError(
            "refusal_not_written",
            _("A refusal of services is recorded with its written text."),
            details={"refusal": [_("Enter the recipient's written refusal.")]},
        )
    _not_future(agreed_on, "agreed_on")
    _not_before(
        agreed_on,
        programme.drawn_up_on,
        "agreed_on",
        _("The agreement cannot be earlier than the programme."),
    )
    previous = programme_in_force(case)
    if previous is not None:
        previous.status = ProgrammeStatus.SUPERSEDED
        previous.ended_on = agreed_on
        previous.save(update_fields=["status", "ended_on", "updated_at"])
    ProgrammeItem.objects.filter(pk__in=refused_ids).update(refused_on=agreed_on)
    programme.status = ProgrammeStatus.AGREED
    programme.agreed_on = agreed_on
    programme.refusal = refusal.strip()
    programme.save(update_fields=["status", "agreed_on", "refusal", "updated_at"])
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_AGREED,
        obj=case,
        data={
            "version": programme.version,
            "refused": sorted(i.service.code for i in items if i.pk in refused_ids),
            "programme": programme.pk,
        },
        reason=refusal.strip(),
    )
    if case.status == S.PROGRAMME_DRAFTED:
        _move(actor=actor, case=case, to_status=S.AGREED, on=agreed_on)
    else:
        case.next_due = programme.review_due
        case.save(update_fields=["next_due", "updated_at"])
    return programme


@transaction.atomic
def programme_service_refuse(
    *, actor: Actor, item: ProgrammeItem, refused_on: dt.date, refusal: str
) -> ProgrammeItem:
    """The recipient refuses, in writing, a service of the programme in force."""
    _require_case(actor, item.programme.case)
    case = _locked(item.programme.case)
    _refuse_closed(case)
    item = (
        ProgrammeItem.objects.select_for_update()
        .select_related("programme", "service")
        .get(pk=item.pk)
    )
    programme = item.programme
    if programme.status != ProgrammeStatus.AGREED:
        raise Conflict(
            "programme_not_in_force",
            _("Only a service of the programme in force can be refused."),
            details={"item": [_("Not in force.")]},
        )
    if item.refused_on is not None:
        raise Conflict(
            "already_refused",
            _("The recipient has already refused %(service)s.") % {"service": item.service},
        )
    if not refusal.strip():
        raise DomainError(
            "refusal_not_written",
            _("A refusal of services is recorded with its written text."),
            details={"refusal": [_("Enter the recipient's written refusal.")]},
        )
    _not_future(refused_on, "refused_on")
    # Deliveries are refused from the day of the refusal on, so it comes after the agreement
    # and after every delivery already recorded: the record never contradicts itself.
    last_delivery = item.deliveries.aggregate(last=Max("delivered_on"))["last"]
    earliest = programme.agreed_on or programme.drawn_up_on
    if last_delivery is not None:
        earliest = max(earliest, last_delivery + ONE_DAY)
    _not_before(
        refused_on,
        earliest,
        "refused_on",
        _(
            "A refusal is dated %(date)s or later: not before the agreement, nor on or before "
            "a day with a delivery."
        )
        % {"date": earliest.strftime("%d.%m.%Y")},
    )
    item.refused_on = refused_on
    item.note = (item.note + " " + refusal.strip()).strip()[:500]
    item.save(update_fields=["refused_on", "note"])
    audit.record(
        actor=actor,
        action=actions.PROGRAMME_SERVICE_REFUSED,
        obj=programme.case,
        data={"service": item.service.code, "version": programme.version},
        reason=refusal.strip(),
    )
    return item
