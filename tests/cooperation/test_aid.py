"""Partners' needs and aid, after seed 001: Lugansk raised equipment for its institutions,
online training for its specialists and an issuing point for assistive devices at Republican
Hospital No. 1; Moscow hands over aid. A need moves one allowed step at a time; a delivery is
written whole or not at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from opora.cooperation import audit_actions as actions
from opora.cooperation import selectors, services
from opora.cooperation.models import AidDelivery, AidItem, NeedKind, NeedStatus, PartnerNeed
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role

S = NeedStatus
NOVEMBER = dt.date(2022, 11, 28)


@pytest.fixture
def lugansk(make_partner):
    return make_partner(
        code="lugansk",
        country="RU",
        name_ru="Администрация города Луганска",
        name_en="Lugansk city administration",
    )


@pytest.fixture
def raise_need(lugansk, officer):
    def do(**fields):
        fields.setdefault("actor", officer)
        fields.setdefault("partner", lugansk)
        fields.setdefault("kind", NeedKind.EQUIPMENT)
        fields.setdefault("raised_on", dt.date(2022, 10, 20))
        if not any(name.startswith("title") for name in fields):
            fields["title_ru"] = "Материально-техническое оснащение учреждений"
        return services.need_raise(**fields)

    return do


@pytest.fixture
def issuing_point(raise_need):
    return raise_need(
        kind=NeedKind.ASSISTIVE_DEVICES,
        raised_on=NOVEMBER,
        title_ru="Пункт выдачи технических средств реабилитации",
        title_en="An issuing point for assistive devices",
        description_ru="В республиканской больнице № 1 города Луганска",
    )


WHEELCHAIRS = {"name": "Кресло-коляска", "name_en": "Wheelchair", "quantity": 40, "unit": "шт."}
WALKERS = {"name": "Ходунки", "quantity": "25", "unit": "шт."}


def test_needs_of_the_seed_are_recorded_in_two_languages(raise_need, issuing_point, lugansk):
    training = raise_need(kind=NeedKind.TRAINING, title="Обучение специалистов в онлайн-формате")
    assert (training.title_ru, training.status) == (
        "Обучение специалистов в онлайн-формате",
        S.RAISED,
    )
    assert issuing_point.title_en == "An issuing point for assistive devices"
    assert list(selectors.need_list(kind=NeedKind.ASSISTIVE_DEVICES)) == [issuing_point]
    assert list(selectors.need_list(partner=lugansk, status=S.RAISED)) == [issuing_point, training]
    assert AuditEntry.objects.filter(action=actions.NEED_RAISED).count() == 2


def test_a_need_needs_a_russian_title_a_known_kind_and_a_letter_of_its_partner(
    raise_need, helsinki
):
    helsinki_letter = services.letter_register(
        actor=SYSTEM,
        direction="incoming",
        partner=helsinki,
        dated_on=dt.date(2019, 7, 12),
        subject="Благодарность",
        language="fi",
        text="Arvoisa ministeri",
    )
    refusals = [
        (dict(title_ru=" ", title_en="Equipment"), "invalid"),
        (dict(kind="money"), "unknown_need_kind"),
        (dict(letter=helsinki_letter), "letter_of_other_partner"),
        (dict(title_xx="?"), "unknown_fields"),
        (dict(raised_on=dt.date.today() + dt.timedelta(days=2)), "date_in_future"),
    ]
    for fields, code in refusals:
        with pytest.raises(DomainError) as refused:
            raise_need(**fields)
        assert refused.value.code == code
    assert PartnerNeed.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([S.ACCEPTED, S.IN_PROGRESS, S.MET], True),
        ([S.DECLINED], True),
        ([S.ACCEPTED, S.DECLINED], True),
        ([S.IN_PROGRESS], False),
        ([S.MET], False),
        ([S.ACCEPTED, S.MET], False),
        ([S.ACCEPTED, S.IN_PROGRESS, S.DECLINED], False),
        ([S.ACCEPTED, S.IN_PROGRESS, S.MET, S.IN_PROGRESS], False),
        ([S.DECLINED, S.ACCEPTED], False),
    ],
)
def test_a_need_moves_only_by_the_allowed_steps(issuing_point, officer, path, allowed):
    *steps, last = path
    for status in steps:
        services.need_status_change(actor=officer, need=issuing_point, status=status, note="Так")
    if allowed:
        services.need_status_change(actor=officer, need=issuing_point, status=last, note="Так")
        issuing_point.refresh_from_db()
        assert issuing_point.status == last
    else:
        before = PartnerNeed.objects.get(pk=issuing_point.pk).status
        with pytest.raises(DomainError) as refused:
            services.need_status_change(actor=officer, need=issuing_point, status=last, note="Так")
        assert refused.value.code == "illegal_transition"
        assert PartnerNeed.objects.get(pk=issuing_point.pk).status == before
    assert AuditEntry.objects.filter(action=actions.NEED_STATUS_CHANGED).count() == len(path) - (
        0 if allowed else 1
    )


def test_declining_a_need_says_why(issuing_point, officer):
    with pytest.raises(DomainError) as refused:
        services.need_status_change(actor=officer, need=issuing_point, status=S.DECLINED, note=" ")
    assert refused.value.code == "note_required"
    services.need_status_change(
        actor=officer, need=issuing_point, status=S.DECLINED, note="Передано Минтруду ЛНР"
    )
    entry = AuditEntry.objects.get(action=actions.NEED_STATUS_CHANGED)
    assert (entry.data, entry.reason) == (
        {"from_status": S.RAISED, "to_status": S.DECLINED},
        "Передано Минтруду ЛНР",
    )
    issuing_point.refresh_from_db()
    assert issuing_point.status_note == "Передано Минтруду ЛНР"


# --- Aid -----------------------------------------------------------------------------------------


def test_aid_is_recorded_item_by_item_against_the_need(issuing_point, lugansk, officer):
    delivery = services.aid_deliver(
        actor=officer,
        partner=lugansk,
        need=issuing_point,
        handed_over_on=NOVEMBER,
        document="Акт № 17/2022",
        items=[WHEELCHAIRS, WALKERS],
    )
    items = list(delivery.items.order_by("pk"))
    assert [(i.name_ru, i.name_en or "", i.quantity, i.unit) for i in items] == [
        ("Кресло-коляска", "Wheelchair", Decimal("40"), "шт."),
        ("Ходунки", "", Decimal("25"), "шт."),
    ]
    entry = AuditEntry.objects.get(action=actions.AID_DELIVERED)
    assert (entry.object_id, entry.data["count"]) == (str(lugansk.pk), 2)
    assert list(selectors.need_get(pk=issuing_point.pk).deliveries.all()) == [delivery]


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([], "items_required"),
        ([WHEELCHAIRS, {**WALKERS, "quantity": 0}], "quantity_not_positive"),
        ([WHEELCHAIRS, {**WALKERS, "quantity": "-3"}], "quantity_not_positive"),
        ([WHEELCHAIRS, {**WALKERS, "quantity": "двадцать"}], "quantity_invalid"),
        ([WHEELCHAIRS, {**WALKERS, "name": " "}], "item_name_required"),
        ([WHEELCHAIRS, {**WALKERS, "price": 100}], "unknown_fields"),
        ([WHEELCHAIRS, {**WALKERS, "quantity": "1.0005"}], "invalid"),
    ],
    ids=["none", "zero", "negative", "words", "unnamed", "unknown", "too_precise"],
)
def test_a_delivery_with_one_bad_item_writes_nothing(lugansk, officer, items, code):
    with pytest.raises(DomainError) as refused:
        services.aid_deliver(
            actor=officer, partner=lugansk, handed_over_on=NOVEMBER, document="Акт", items=items
        )
    assert refused.value.code == code
    assert (AidDelivery.objects.count(), AidItem.objects.count()) == (0, 0)
    assert not AuditEntry.objects.filter(action=actions.AID_DELIVERED).exists()


def test_aid_answers_an_open_need_of_the_same_partner(issuing_point, helsinki, lugansk, officer):
    with pytest.raises(DomainError) as refused:
        services.aid_deliver(
            actor=officer,
            partner=helsinki,
            need=issuing_point,
            handed_over_on=NOVEMBER,
            items=[WHEELCHAIRS],
        )
    assert refused.value.code == "need_of_other_partner"
    services.need_status_change(
        actor=officer, need=issuing_point, status=S.DECLINED, note="Не требуется"
    )
    with pytest.raises(DomainError) as refused:
        services.aid_deliver(
            actor=officer,
            partner=lugansk,
            need=issuing_point,
            handed_over_on=NOVEMBER,
            items=[WHEELCHAIRS],
        )
    assert refused.value.code == "need_settled"
    assert AidDelivery.objects.count() == 0


def test_totals_and_the_list_of_deliveries(lugansk, helsinki, officer):
    first = services.aid_deliver(
        actor=officer, partner=lugansk, handed_over_on=dt.date(2022, 10, 20), items=[WHEELCHAIRS]
    )
    second = services.aid_deliver(
        actor=officer,
        partner=lugansk,
        handed_over_on=NOVEMBER,
        items=[{**WHEELCHAIRS, "quantity": "10.5"}, WALKERS],
    )
    earlier = services.aid_deliver(
        actor=officer, partner=lugansk, handed_over_on=dt.date(2021, 3, 1), items=[WALKERS]
    )
    services.aid_deliver(
        actor=SYSTEM,
        partner=helsinki,
        handed_over_on=NOVEMBER,
        items=[{"name": "Книги", "quantity": 3}],
    )
    assert selectors.aid_totals(lugansk) == [
        {"name": "Кресло-коляска", "unit": "шт.", "quantity": Decimal("50.5"), "deliveries": 2},
        {"name": "Ходунки", "unit": "шт.", "quantity": Decimal("50"), "deliveries": 2},
    ]
    assert list(selectors.aid_list(partner=lugansk)) == [second, first, earlier]
    assert list(selectors.aid_list(partner=lugansk, year=2022)) == [second, first]


def test_a_social_worker_writes_no_need_and_no_aid(issuing_point, lugansk, make_user):
    worker = make_user(Role.SOCIAL_WORKER)
    entries = AuditEntry.objects.count()
    attempts = [
        lambda: services.need_raise(
            actor=worker, partner=lugansk, kind=NeedKind.OTHER, raised_on=NOVEMBER, title="?"
        ),
        lambda: services.need_status_change(actor=worker, need=issuing_point, status=S.ACCEPTED),
        lambda: services.aid_deliver(
            actor=worker, partner=lugansk, handed_over_on=NOVEMBER, items=[WHEELCHAIRS]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.status == 403
    assert PartnerNeed.objects.get().status == S.RAISED
    assert AidDelivery.objects.count() == 0
    assert AuditEntry.objects.count() == entries
