"""Help in kind: the kinds of goods, and each institution's stock of them — goods received,
handed out to the recipient of an in-kind assignment, written off.

The stock is one row per institution and kind of goods. Every movement out changes it with one
``UPDATE … SET quantity = quantity - n``, and the database's CHECK keeps it from going below
zero: two hand-outs at once of the last sets cannot both succeed (the second waits for the
first's row lock, then fails the CHECK), and the one refused writes nothing and says how many
are left."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, require_choice, validated
from opora.institutions.models import Institution

from .. import audit_actions as actions
from ..models import (
    Assignment,
    AssignmentStatus,
    GoodsKind,
    GoodsUnit,
    MeasureKind,
    MovementKind,
    StockBalance,
    StockMovement,
)
from .common import not_before, not_future, require_in_scope, required_text

__all__ = ["goods_kind_create", "stock_issue", "stock_receive", "stock_write_off"]


@transaction.atomic
def goods_kind_create(
    *, actor: Actor, code: str, name: str, unit: str, name_en: str = ""
) -> GoodsKind:
    require_choice(unit, GoodsUnit, field="unit")
    goods = validated(GoodsKind(code=code, name=name.strip(), name_en=name_en.strip(), unit=unit))
    goods.save()
    audit.record(
        actor=actor,
        action=actions.GOODS_KIND_CREATED,
        obj=goods,
        changes=audit.diff({}, audit.snapshot(goods, ["code", "name", "name_en", "unit"])),
    )
    return goods


def _require_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        message = _("Enter a whole number, at least one.")
        raise DomainError("quantity_not_positive", message, details={"quantity": [message]})


def _require_staff(actor: Actor, institution: Institution) -> None:
    require_in_scope(actor, institution, _("No such institution in your scope."))


def _movement(
    *,
    actor: Actor,
    action: str,
    institution: Institution,
    goods: GoodsKind,
    kind: str,
    quantity: int,
    on: dt.date,
    note: str = "",
    assignment: Assignment | None = None,
) -> StockMovement:
    movement = validated(
        StockMovement(
            institution=institution,
            goods=goods,
            kind=kind,
            quantity=quantity,
            on=on,
            assignment=assignment,
            person_id=assignment.person_id if assignment else None,
            note=note.strip(),
            recorded_by=audit.acting_user(actor),
        ),
        exclude=["recorded_by"],  # the system records with no user
    )
    movement.save()
    audit.record(
        actor=actor,
        action=action,
        obj=movement,
        data={
            "institution": institution.pk,
            "goods": goods.code,
            "quantity": quantity,
            "on": on,
            "assignment": assignment.pk if assignment else None,
        },
        reason=movement.note,
    )
    return movement


def _take(institution: Institution, goods: GoodsKind, quantity: int) -> None:
    """Take ``quantity`` off the stock in one UPDATE; the CHECK refuses a negative stock. The
    savepoint keeps the transaction usable after the refusal (PostgreSQL aborts it otherwise),
    so the refusal can say how many are left."""
    try:
        with transaction.atomic():
            taken = StockBalance.objects.filter(institution=institution, goods=goods).update(
                quantity=F("quantity") - quantity
            )
    except IntegrityError:
        taken = 0
    if taken:
        return
    left = (
        StockBalance.objects.filter(institution=institution, goods=goods)
        .values_list("quantity", flat=True)
        .first()
    ) or 0
    message = _("Not enough %(goods)s in stock: %(left)s left, %(asked)s asked for.") % {
        "goods": goods,
        "left": left,
        "asked": quantity,
    }
    raise Conflict("not_enough_stock", message, details={"quantity": [message], "left": left})


def _check_day(on: dt.date) -> None:
    not_future(on, "on")


@transaction.atomic
def stock_receive(
    *,
    actor: Actor,
    institution: Institution,
    goods: GoodsKind,
    quantity: int,
    on: dt.date,
    note: str = "",
) -> StockMovement:
    """Goods received by the institution (a delivery, a donation)."""
    _require_staff(actor, institution)
    _require_quantity(quantity)
    _check_day(on)
    balance, _created = StockBalance.objects.get_or_create(institution=institution, goods=goods)
    StockBalance.objects.filter(pk=balance.pk).update(quantity=F("quantity") + quantity)
    return _movement(
        actor=actor,
        action=actions.STOCK_RECEIVED,
        institution=institution,
        goods=goods,
        kind=MovementKind.RECEIPT,
        quantity=quantity,
        on=on,
        note=note,
    )


@transaction.atomic
def stock_issue(
    *,
    actor: Actor,
    assignment: Assignment,
    goods: GoodsKind,
    quantity: int,
    on: dt.date,
    note: str = "",
) -> StockMovement:
    """Goods handed out to the recipient of an in-kind assignment in force, from the stock of
    the assignment's institution."""
    assignment = Assignment.objects.select_related("measure", "institution").get(pk=assignment.pk)
    require_in_scope(actor, assignment.institution, _("No such assignment."))
    if assignment.measure.kind != MeasureKind.IN_KIND:
        message = _("%(measure)s is not help in kind.") % {"measure": assignment.measure}
        raise DomainError("not_in_kind", message, details={"assignment": [message]})
    if assignment.status != AssignmentStatus.ACTIVE:
        message = _("Goods are handed out under an assignment in force; this one is “%(status)s”.")
        raise Conflict(
            "assignment_not_active",
            message % {"status": AssignmentStatus(assignment.status).label},
            details={"assignment": [_("The assignment is not in force.")]},
        )
    _require_quantity(quantity)
    _check_day(on)
    not_before(
        on,
        assignment.starts_on,
        "on",
        _("The assignment runs from %(date)s.")
        % {"date": assignment.starts_on.strftime("%d.%m.%Y")},
    )
    if assignment.ends_on is not None and on > assignment.ends_on:
        message = _("The assignment ran until %(date)s.") % {
            "date": assignment.ends_on.strftime("%d.%m.%Y")
        }
        raise DomainError("outside_assignment", message, details={"on": [message]})
    _take(assignment.institution, goods, quantity)
    return _movement(
        actor=actor,
        action=actions.STOCK_ISSUED,
        institution=assignment.institution,
        goods=goods,
        kind=MovementKind.ISSUE,
        quantity=quantity,
        on=on,
        note=note,
        assignment=assignment,
    )


@transaction.atomic
def stock_write_off(
    *,
    actor: Actor,
    institution: Institution,
    goods: GoodsKind,
    quantity: int,
    on: dt.date,
    note: str,
) -> StockMovement:
    """Goods written off (spoilt, lost, past their date), with the reason in ``note``."""
    _require_staff(actor, institution)
    _require_quantity(quantity)
    note = required_text(note, "note", _("Say why the goods are written off."))
    _check_day(on)
    _take(institution, goods, quantity)
    return _movement(
        actor=actor,
        action=actions.STOCK_WRITTEN_OFF,
        institution=institution,
        goods=goods,
        kind=MovementKind.WRITE_OFF,
        quantity=quantity,
        on=on,
        note=note,
    )
