"""The register of providers: who may be entered, by whom, and what the public listing shows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from opora.catalogue import selectors, services
from opora.catalogue.models import ProviderEntry
from opora.core.actors import SYSTEM
from opora.core.audit import sentence
from opora.core.errors import DomainError
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services as institution_services

FROM = dt.date(2025, 1, 1)


@pytest.fixture
def enter(service, tverskoy, institution_a):
    """Enter a provider; by default institution A gives the service at home in Tverskoy."""

    def do(**fields):
        fields.setdefault("actor", SYSTEM)
        fields.setdefault("institution", institution_a)
        fields.setdefault("service", service)
        fields.setdefault("form", "home")
        fields.setdefault("district", tverskoy)
        fields.setdefault("valid_from", FROM)
        return services.provider_add(**fields)

    return do


def refused(expected, call, **kwargs):
    with pytest.raises(DomainError) as error:
        call(**kwargs)
    assert error.value.code == expected, error.value.as_body()
    return error.value


def close(institution):
    institution_services.institution_set_status(
        actor=SYSTEM, institution=institution, status="closed", reason="Капитальный снос"
    )


def test_a_provider_is_entered_and_the_service_history_says_so(enter, admin_user, service):
    entry = enter(actor=admin_user, capacity=300)
    assert (entry.form, entry.capacity, entry.price) == ("home", 300, None)
    audit = AuditEntry.objects.get(action="catalogue.provider.added")
    assert audit.object_id == str(service.pk)
    with translation.override("en"):
        assert sentence(audit) == (
            "root-admin entered Центр «Альфа» as a provider of Уборка жилых помещений "
            "(at home, Тверской) from 01/01/2025"
        )


def test_a_closed_institution_cannot_be_entered(enter, institution_a):
    close(institution_a)
    entries = AuditEntry.objects.filter(action__startswith="catalogue.").count()
    with translation.override("en"):  # the message is read in the source language
        error = refused("institution_closed", enter)
    assert "closed" in str(error.message)
    assert not ProviderEntry.objects.exists()
    assert AuditEntry.objects.filter(action__startswith="catalogue.").count() == entries


@pytest.mark.parametrize(("form", "expected"), [("boat", "unknown_form"), ("", "unknown_form")])
def test_an_unknown_form_is_refused(enter, form, expected):
    refused(expected, enter, form=form)


def test_a_form_the_service_is_not_given_in_is_refused(enter):
    refused("form_not_offered", enter, form="residential")


def test_a_negative_own_price_is_refused(enter):
    error = refused("negative_tariff", enter, price=Decimal("-1"))
    assert "price" in error.details


def test_a_retired_service_cannot_be_provided(enter, service):
    services.service_update(actor=SYSTEM, service=service, is_active=False)
    refused("service_retired", enter)


def test_the_same_service_form_and_district_cannot_overlap(enter, maryino):
    enter(valid_to=dt.date(2025, 12, 31))
    error = refused("provider_overlaps", enter, valid_from=dt.date(2025, 6, 1))
    assert error.status == 409
    enter(valid_from=dt.date(2026, 1, 1))  # right after the first period: no overlap
    enter(district=maryino)  # another district: another entry
    enter(form="semi_residential")  # another form: another entry
    assert ProviderEntry.objects.count() == 4


def test_a_manager_enters_providers_for_her_own_institution_only(
    enter, make_user, institution_a, institution_b
):
    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])
    assert enter(actor=manager).institution == institution_a
    error = refused("not_your_institution", enter, actor=manager, institution=institution_b)
    assert error.status == 403


def test_a_social_worker_cannot_enter_providers_even_through_the_service(enter, worker_a):
    refused("not_your_institution", enter, actor=worker_a)


def test_ending_an_entry(enter, admin_user, service):
    entry = enter()
    day = dt.date(2026, 2, 28)
    services.provider_end(actor=admin_user, entry=entry, valid_to=day, reason="Нет специалиста")
    entry.refresh_from_db()
    assert (entry.valid_to, entry.end_reason) == (day, "Нет специалиста")
    audit = AuditEntry.objects.get(action="catalogue.provider.ended")
    assert audit.reason == "Нет специалиста"
    assert audit.object_id == str(service.pk)
    # Ended entries may be shortened, never lengthened, and never end before they start.
    refused("already_ended", services.provider_end, actor=SYSTEM, entry=entry, valid_to=day)
    refused(
        "period_reversed",
        services.provider_end,
        actor=SYSTEM,
        entry=entry,
        valid_to=FROM - dt.timedelta(days=1),
    )


def test_the_entry_of_a_closed_institution_can_still_be_ended(enter, institution_a, admin_user):
    entry = enter()
    close(institution_a)
    services.provider_end(actor=admin_user, entry=entry, valid_to=timezone.localdate())


def test_a_manager_cannot_end_another_institutions_entry(enter, make_user, institution_b):
    entry = enter()
    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_b])
    refused(
        "not_your_institution",
        services.provider_end,
        actor=manager,
        entry=entry,
        valid_to=timezone.localdate(),
    )


def test_the_price_is_the_providers_own_else_the_catalogue_tariff(enter, service):
    services.tariff_add(actor=SYSTEM, service=service, price=Decimal("260"), valid_from=FROM)
    services.tariff_add(
        actor=SYSTEM, service=service, form="semi_residential", price="200", valid_from=FROM
    )
    at_home = enter()
    own = enter(form="semi_residential", price=Decimal("275.50"))
    day = dt.date(2026, 1, 1)
    assert selectors.provider_price(at_home, day) == Decimal("260")
    assert selectors.provider_price(own, day) == Decimal("275.50")
    assert selectors.provider_price(at_home, FROM - dt.timedelta(days=1)) is None


def test_a_form_cannot_leave_a_service_while_a_provider_gives_it(enter, service):
    enter(form="semi_residential")
    error = refused(
        "form_in_use", services.service_update, actor=SYSTEM, service=service, forms=["home"]
    )
    assert error.status == 409
    assert service.forms == ["home", "semi_residential"]


def test_the_register_filters(enter, maryino, institution_b, make_service):
    other_service = make_service()
    enter()
    enter(district=maryino)
    enter(institution=institution_b, service=other_service, form="semi_residential")
    enter(institution=institution_b, valid_to=dt.date(2025, 3, 1))

    def found(**filters):
        return selectors.provider_list(actor=SYSTEM, **filters).count()

    assert found() == 3  # current: the ended one is left out
    assert found(status="all") == 4
    assert found(status="ended") == 1
    assert found(district="maryino") == 1
    assert found(institution=institution_b.pk) == 1
    assert found(service=other_service.pk) == 1
    assert found(form="semi_residential") == 1
    assert found(on=dt.date(2025, 2, 1), institution=institution_b.pk) == 2


def test_the_public_listing_shows_open_institutions_giving_services_today(
    enter, tverskoy, maryino, make_institution, make_service, kinds, service
):
    today = timezone.localdate()
    legal = make_service(code="6.01", kind=kinds["social-legal"], regime="one_time")
    centre = make_institution(code="tcso", name="ТЦСО «Тверской»", address="ул. Тверская, 1")
    enter(institution=centre)
    enter(institution=centre, form="semi_residential", price="10")
    enter(institution=centre, service=legal)
    closed = make_institution(code="closed", name="Закрытый центр")
    enter(institution=closed)
    close(closed)
    ended = make_institution(code="ended", name="Бывший поставщик")
    enter(institution=ended, valid_to=today - dt.timedelta(days=1))
    later = make_institution(code="later", name="Будущий поставщик")
    enter(institution=later, valid_from=today + dt.timedelta(days=1))
    elsewhere = make_institution(code="elsewhere", name="ТЦСО «Марьино»")
    enter(institution=elsewhere, district=maryino)

    listing = selectors.public_listing(district=tverskoy)
    assert [p.institution.code for p in listing] == ["tcso"]
    groups = [(kind.code, [i.service.code for i in items]) for kind, items in listing[0].by_kind]
    assert groups == [("social-household", ["1.08"]), ("social-legal", ["6.01"])]
    assert listing[0].services[0].forms == [("home", None), ("semi_residential", Decimal("10"))]
    assert set(selectors.public_districts().values_list("code", flat=True)) == {
        "tverskoy",
        "maryino",
    }


def test_the_public_listing_on_a_past_day_shows_an_institution_closed_since(
    enter, tverskoy, make_institution
):
    """Whether an institution was closed on a day is read from its status history (the
    institutions app's selector), so the listing of a day before the closing still shows it."""
    today = timezone.localdate()
    opened = today - dt.timedelta(days=60)
    closing = today - dt.timedelta(days=10)
    centre = make_institution(code="tcso", name="ТЦСО «Тверской»", opened_on=opened)
    enter(institution=centre, valid_from=opened)
    institution_services.institution_set_status(
        actor=SYSTEM, institution=centre, status="closed", effective_on=closing
    )

    def shown(day):
        return [p.institution.code for p in selectors.public_listing(district=tverskoy, on=day)]

    assert shown(closing - dt.timedelta(days=1)) == ["tcso"]
    assert shown(closing) == []
    assert shown(today) == []
    assert not selectors.provider_choices(actor=SYSTEM).filter(pk=centre.pk).exists()
