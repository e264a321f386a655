"""The individual programme (ИППСУ): services only from providers that give them in the
programme's form for its whole term, at a tariff; the fee from the calculator; versions that are
never changed once agreed, every one of them kept."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.casework import audit_actions as actions
from opora.casework import selectors, services
from opora.casework.models import CaseStatus, ProgrammeItem, ProgrammeStatus
from opora.catalogue import services as catalogue_services
from opora.catalogue.models import ServiceKind
from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.rules import selectors as rules
from opora.rules import services as rules_services
from opora.rules.catalog import FEE_CAP_SHARE
from opora.rules.fees import KOPECK, calculate_fee

S = CaseStatus
db_property = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def draft(case_at):
    """A first draft, without services, of a case recognised on its application day."""
    case = case_at(S.RECOGNISED)
    return services.programme_draft(
        actor=SYSTEM, case=case, form="home", drawn_up_on=case.applied_on, income=Decimal("30000")
    )


@pytest.fixture
def add(provider_a):
    def do(programme, provider=provider_a, **fields):
        fields.setdefault("volume", 20)
        return services.programme_item_add(
            actor=SYSTEM, programme=programme, service=provider.service, provider=provider, **fields
        )

    return do


@pytest.fixture
def second_provider(make_home_service, provide, institution_a):
    return provide(institution_a, make_home_service(price="400.00"), price="380.00")


def review(case, today, **fields):
    fields.setdefault("income", Decimal("30000"))
    return services.programme_draft(
        actor=SYSTEM, case=case, form=fields.pop("form", "home"), drawn_up_on=today, **fields
    )


# --- Services and providers ---------------------------------------------------------------------


def test_a_service_is_added_at_its_provider_price_for_the_programme_term(
    draft, add, provider_a, second_provider
):
    catalogue_price = add(draft)
    own_price = add(draft, second_provider, times=2, per="week", note=" утром ")
    assert catalogue_price.unit_price == Decimal("250.00")
    assert own_price.unit_price == Decimal("380.00")
    assert (own_price.starts_on, own_price.ends_on) == (draft.valid_from, draft.valid_to)
    assert own_price.note == "утром"
    draft.case.refresh_from_db()
    assert draft.case.status == S.PROGRAMME_DRAFTED
    assert AuditEntry.objects.filter(action=actions.PROGRAMME_ITEM_ADDED).count() == 2


def test_a_provider_of_another_service_is_refused(draft, second_provider, home_service, refuses):
    refuses(
        "provider_does_not_offer",
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=home_service,
        provider=second_provider,
        volume=10,
    )


def test_a_provider_of_the_service_in_another_form_is_refused(
    draft, make_home_service, provide, institution_a, refuses
):
    service = make_home_service(forms=["home", "semi_residential"])
    day_centre = provide(institution_a, service, form="semi_residential")
    refuses(
        "provider_does_not_offer",
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=service,
        provider=day_centre,
        volume=10,
    )


def test_a_provider_out_of_the_register_for_part_of_the_term_is_refused(
    draft, second_provider, refuses
):
    catalogue_services.provider_end(
        actor=SYSTEM, entry=second_provider, valid_to=draft.valid_from + dt.timedelta(days=30)
    )
    second_provider.refresh_from_db()
    refuses(
        "provider_not_in_register",
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=second_provider.service,
        provider=second_provider,
        volume=10,
    )


def test_a_service_without_a_tariff_is_refused(draft, provide, institution_a, refuses):
    untariffed = catalogue_services.service_create(
        actor=SYSTEM,
        code="9.99",
        name="Услуга без тарифа",
        kind=ServiceKind.objects.get(code="social-household"),
        forms=["home"],
        regime="periodic",
        periodicity_times=1,
        periodicity_unit="week",
        standard_duration_minutes=30,
    )
    provider = provide(institution_a, untariffed)
    refuses(
        "no_tariff",
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=untariffed,
        provider=provider,
        volume=10,
    )


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"volume": 0}, "volume_not_positive"),
        ({"times": 2}, "periodicity_incomplete"),
        ({"per": "week"}, "periodicity_incomplete"),
        ({"starts_on": dt.date(2000, 1, 1)}, "item_outside_term"),
    ],
)
def test_a_service_line_is_complete_and_within_the_term(
    draft, provider_a, provide, refuses, fields, code
):
    if code == "item_outside_term":
        # A provider registered long ago, so only the programme's term is in question.
        provider_a.valid_from = dt.date(1999, 1, 1)
        provider_a.save()
    fields.setdefault("volume", 10)
    refuses(
        code,
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=provider_a.service,
        provider=provider_a,
        **fields,
    )


def test_a_service_is_in_a_version_once(draft, add, refuses, provider_a):
    add(draft)
    refuses(
        "service_already_in_programme",
        services.programme_item_add,
        actor=SYSTEM,
        programme=draft,
        service=provider_a.service,
        provider=provider_a,
        volume=5,
    )


def test_provider_options_offer_only_what_the_draft_may_take(
    draft, add, provider_a, second_provider, make_home_service, provide, institution_a
):
    service = make_home_service(forms=["home", "semi_residential"])
    provide(institution_a, service, form="semi_residential")
    add(draft)
    assert list(selectors.provider_options(draft)) == [second_provider]


# --- Drafts, agreement and versions -------------------------------------------------------------


def test_only_a_draft_changes(case_at, second_provider, refuses, today):
    case = case_at(S.AGREED)
    programme = case.programmes.get()
    refuses(
        "programme_not_draft",
        services.programme_item_add,
        actor=SYSTEM,
        programme=programme,
        service=second_provider.service,
        provider=second_provider,
        volume=5,
    )
    refuses(
        "programme_not_draft",
        services.programme_item_remove,
        actor=SYSTEM,
        item=programme.items.get(),
    )
    refuses(
        "programme_not_draft",
        services.programme_agree,
        actor=SYSTEM,
        programme=programme,
        agreed_on=today,
    )


def test_a_line_of_a_draft_is_removed_with_an_audit_entry(draft, add):
    item = add(draft)
    services.programme_item_remove(actor=SYSTEM, item=item)
    assert not draft.items.exists()
    assert AuditEntry.objects.filter(action=actions.PROGRAMME_ITEM_REMOVED).count() == 1


def test_one_draft_at_a_time(case_at, refuses, today):
    case = case_at(S.IN_SERVICE)
    review(case, today)
    refuses("draft_exists", review, case=case, today=today)


def test_the_first_version_is_not_a_review_and_a_review_not_the_first(case_at, refuses, today):
    recognised = case_at(S.RECOGNISED)
    refuses("wrong_reason", review, case=recognised, today=today, reason="review")


def test_the_term_ends_before_the_review_is_due(case_at, refuses, today):
    case = case_at(S.RECOGNISED)
    error = refuses(
        "term_past_review", review, case=case, today=today, valid_to=rules.review_due(today)
    )
    assert "valid_to" in error.details


def test_a_review_copies_the_services_and_agreeing_it_supersedes_the_version_in_force(
    case_at, today
):
    case = case_at(S.IN_SERVICE)
    first = case.programmes.get()
    second = review(case, today)
    assert (second.version, second.reason, second.status) == (2, "review", ProgrammeStatus.DRAFT)
    copied = second.items.get()
    original = first.items.get()
    assert (copied.service, copied.provider, copied.volume, copied.times, copied.per) == (
        original.service,
        original.provider,
        original.volume,
        original.times,
        original.per,
    )
    assert copied.pk != original.pk
    # Until it is agreed, the first version stays in force.
    assert selectors.programme_in_force(case) == first

    services.programme_agree(actor=SYSTEM, programme=second, agreed_on=today)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.ended_on) == (ProgrammeStatus.SUPERSEDED, today)
    assert (second.status, second.agreed_on) == (ProgrammeStatus.AGREED, today)
    case.refresh_from_db()
    assert case.status == S.IN_SERVICE
    assert case.next_due == second.review_due

    third = review(case, today, copy_items=False, reason="circumstances")
    assert not third.items.exists()
    assert [p.version for p in selectors.programmes_of(case)] == [3, 2, 1]


def test_the_recipient_refuses_some_services_in_writing(draft, add, second_provider, refuses):
    kept = add(draft)
    dropped = add(draft, second_provider)
    refuses(
        "refusal_not_written",
        services.programme_agree,
        actor=SYSTEM,
        programme=draft,
        agreed_on=draft.drawn_up_on,
        refused_items=[dropped],
    )
    services.programme_agree(
        actor=SYSTEM,
        programme=draft,
        agreed_on=draft.drawn_up_on,
        refused_items=[dropped],
        refusal="Отказываюсь от доставки обедов",
    )
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.refused_on, dropped.refused_on) == (None, draft.drawn_up_on)
    draft.refresh_from_db()
    assert draft.refusal == "Отказываюсь от доставки обедов"
    entry = AuditEntry.objects.get(action=actions.PROGRAMME_AGREED)
    assert entry.data["refused"] == [dropped.service.code]


def test_refusing_every_service_or_agreeing_to_none_is_refused(draft, add, refuses):
    refuses(
        "programme_empty",
        services.programme_agree,
        actor=SYSTEM,
        programme=draft,
        agreed_on=draft.drawn_up_on,
    )
    item = add(draft)
    refuses(
        "programme_empty",
        services.programme_agree,
        actor=SYSTEM,
        programme=draft,
        agreed_on=draft.drawn_up_on,
        refused_items=[item],
        refusal="Не нужно ничего",
    )


def test_a_refused_service_belongs_to_the_version(case_at, draft, add, refuses, today):
    add(draft)
    other = case_at(S.AGREED).programmes.get().items.get()
    refuses(
        "item_not_in_programme",
        services.programme_agree,
        actor=SYSTEM,
        programme=draft,
        agreed_on=draft.drawn_up_on,
        refused_items=[other],
        refusal="Чужая услуга",
    )


def test_a_service_of_the_programme_in_force_is_refused_once(case_at, refuses, today):
    item = case_at(S.IN_SERVICE).programmes.get().items.get()
    services.programme_service_refuse(actor=SYSTEM, item=item, refused_on=today, refusal="Не нужно")
    item.refresh_from_db()
    assert item.refused_on == today
    refuses(
        "already_refused",
        services.programme_service_refuse,
        actor=SYSTEM,
        item=item,
        refused_on=today,
        refusal="Снова",
    )


# --- The fee ------------------------------------------------------------------------------------


@db_property
@given(
    income=st.decimals(min_value=0, max_value=200_000, places=2),
    form=st.sampled_from(["home", "semi_residential", "residential"]),
)
def test_the_fee_of_a_version_is_the_calculators(case_at, today, income, form):
    with transaction.atomic():
        case = case_at(S.AGREED)
        programme = review(case, today, income=income, form=form)
        person = case.person
        expected = rules_services.fee_calculate(
            income=income,
            service_form=form,
            on=today,
            birth_date=person.birth_date,
            sex=person.sex,
            categories=[],
        )
        assert (programme.fee_cap, programme.is_free) == (expected.fee_cap, expected.is_free)
        # The recipient is a pensioner: the pensioners' minimum, where the region sets one.
        assert programme.minimum_group == expected.group == "pensioner"
        minimum = rules.minimum_in_force(rules.home_region(), on=today).for_group("pensioner")
        by_hand = calculate_fee(
            income=income,
            service_form=form,
            subsistence_minimum=minimum,
            multiplier=Decimal("1.5"),
            share=Decimal("0.75") if form == "residential" else Decimal("0.5"),
        )
        assert (programme.fee_cap, programme.is_free) == (by_hand.fee_cap, by_hand.is_free)
        assert programme.income == by_hand.income
        transaction.set_rollback(True)


def test_a_minor_is_served_free_whatever_the_income_and_the_programme_says_why(
    case_at, today, make_person, institution_a, login, worker_a
):
    case = case_at(S.RECOGNISED)
    child = make_person(institution_a, birth_date=dt.date(today.year - 10, 1, 1))
    case.person = child
    case.save(update_fields=["person"])
    programme = services.programme_draft(
        actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=Decimal("900000")
    )
    assert programme.is_free and programme.fee_cap == 0
    assert programme.free_ground is not None and programme.free_ground.code == "minor"
    assert programme.minimum_group == ""
    page = login(worker_a).get(reverse("casework:case", args=[case.pk]), {"tab": "programme"})
    assert 'data-testid="free-ground"' in page.content.decode()


def test_the_fee_follows_the_share_in_force_on_the_day(case_at, today):
    # The recipient is a pensioner: her group's minimum sets the income limit.
    minimum = rules.minimum_in_force(rules.home_region(), on=today).for_group("pensioner")
    income = minimum * 2  # half a minimum above the income limit

    def first_version():
        case = case_at(S.RECOGNISED)
        return services.programme_draft(
            actor=SYSTEM, case=case, form="home", drawn_up_on=today, income=income
        )

    before = first_version()
    rules_services.rule_version_add(
        actor=SYSTEM,
        code=FEE_CAP_SHARE,
        service_form="home",
        valid_from=today,
        value=Decimal("0.25"),
    )
    after = first_version()
    assert before.fee_cap == (minimum / 2 * Decimal("0.5")).quantize(KOPECK, ROUND_FLOOR)
    assert after.fee_cap == (minimum / 2 * Decimal("0.25")).quantize(KOPECK, ROUND_FLOOR)
    assert not after.is_free


def test_a_negative_income_is_refused_with_nothing_written(case_at, refuses, today):
    case = case_at(S.RECOGNISED)
    refuses("negative_income", review, case=case, today=today, income=Decimal("-1"))


def test_a_line_read_before_the_agreement_is_not_removed_after_it(draft, add, refuses):
    item = add(draft)
    read_before = ProgrammeItem.objects.select_related("programme").get(pk=item.pk)
    services.programme_agree(actor=SYSTEM, programme=draft, agreed_on=draft.drawn_up_on)
    refuses("programme_not_draft", services.programme_item_remove, actor=SYSTEM, item=read_before)


def test_a_refusal_is_not_dated_before_the_agreement_or_a_delivery(case_at, refuses, today):
    case = case_at(S.IN_SERVICE)  # one unit delivered on the day of the agreement
    programme = case.programmes.get()
    item = programme.items.get()
    for day in (programme.agreed_on - dt.timedelta(days=1), programme.agreed_on):
        refuses(
            "date_too_early",
            services.programme_service_refuse,
            actor=SYSTEM,
            item=item,
            refused_on=day,
            refusal="Задним числом",
        )
    stale = ProgrammeItem.objects.get(pk=item.pk)
    services.programme_service_refuse(actor=SYSTEM, item=item, refused_on=today, refusal="Не нужно")
    refuses(
        "already_refused",
        services.programme_service_refuse,
        actor=SYSTEM,
        item=stale,
        refused_on=today,
        refusal="Ещё раз",
    )
