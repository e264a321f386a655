import datetime as dt

from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.registry import services
from opora.registry.models import Person
from tests.registry.conftest import valid_snils


def test_a_worker_registers_a_person_after_the_check(login, worker_a, institution_a):
    client = login(worker_a)
    response = client.post(
        reverse("registry:person_register"),
        {
            "last_name": "Соколова",
            "first_name": "Вера",
            "patronymic": "Ильинична",
            "sex": "F",
            "birth_date": "1948-11-02",
            "snils": valid_snils(),
            "registration_address": "ул. Тверская, 7",
        },
    )
    person = Person.objects.get(last_name="Соколова")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person", args=[person.pk])
    assert list(person.served_by.all()) == [institution_a]
    assert person.addresses.get().text == "ул. Тверская, 7"


def test_a_likely_match_stops_the_registration_until_a_reason_is_given(
    login, worker_a, make_person
):
    existing = make_person(
        last_name="Соколова",
        first_name="Вера",
        patronymic="Ильинична",
        birth_date=dt.date(1948, 11, 2),
    )
    client = login(worker_a)
    form = {
        "last_name": "Соколова",
        "first_name": "Вера",
        "patronymic": "Ильинишна",
        "sex": "F",
        "birth_date": "1948-11-02",
    }
    shown = client.post(reverse("registry:person_register"), form)
    assert shown.status_code == 200
    assert 'data-testid="likely-matches"' in shown.content.decode()
    assert reverse("registry:person", args=[existing.pk]) in shown.content.decode()
    assert Person.objects.count() == 1
    saved = client.post(
        reverse("registry:person_register"),
        {**form, "override_reason": "другой человек: сверено по паспорту"},
    )
    assert saved.status_code == 302
    assert Person.objects.count() == 2
    entry = AuditEntry.objects.get(action="registry.person.registered_despite_match")
    assert entry.reason == "другой человек: сверено по паспорту"


def test_the_person_page_has_its_tabs_and_htmx_fragments(login, worker_a, make_person):
    person = make_person(snils=valid_snils())
    client = login(worker_a)
    for tab in ("overview", "household", "categories", "incomes", "history"):
        page = client.get(reverse("registry:person", args=[person.pk]), {"tab": tab})
        assert page.status_code == 200, tab
        fragment = client.get(
            reverse("registry:person", args=[person.pk]),
            {"tab": tab},
            headers={"HX-Request": "true", "HX-Target": "tab-body"},
        )
        assert "<html" not in fragment.content.decode(), tab


def test_out_of_scope_people_are_not_found_anywhere(login, worker_b, make_person):
    person = make_person()
    client = login(worker_b)
    for name in (
        "registry:person",
        "registry:person_edit",
        "registry:category_add",
        "registry:income_add",
    ):
        assert client.get(reverse(name, args=[person.pk])).status_code == 404, name
    listing = client.get(reverse("registry:people"))
    assert listing.context["table"].page.paginator.count == 0
    assert client.get(f"/api/v1/registry/people/{person.pk}").status_code == 404


def test_analysts_see_figures_but_no_person(login, analyst, make_person):
    person = make_person()
    client = login(analyst)
    assert client.get(reverse("registry:people")).status_code == 403
    assert client.get(reverse("registry:person", args=[person.pk])).status_code == 403
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-widget="registry-statistics"' in dashboard
    assert person.last_name not in dashboard


def test_a_merged_record_redirects_to_the_survivor(login, worker_a, make_person):
    survivor = make_person()
    merged = make_person(first_name="Мариия")
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    response = login(worker_a).get(reverse("registry:person", args=[merged.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person", args=[survivor.pk])


def test_adding_a_category_through_the_page(login, worker_a, make_person):
    person = make_person()
    client = login(worker_a)
    from opora.registry.models import CategoryKind

    kind = CategoryKind.objects.get(code="pensioner")
    response = client.post(
        reverse("registry:category_add", args=[person.pk]),
        {"kind": kind.pk, "valid_from": "2021-03-08", "basis_document": "№ 1"},
    )
    assert response.status_code == 302
    assert person.categories.get().kind == kind
    bad = client.post(
        reverse("registry:category_add", args=[person.pk]),
        {"kind": kind.pk, "valid_from": "2022-01-01"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    assert person.categories.count() == 1


def test_households_page_adds_members_in_scope_only(login, worker_a, make_person, institution_b):
    mother = make_person()
    child = make_person(first_name="Олег", sex="M", birth_date=dt.date(2012, 2, 2))
    stranger = make_person(first_name="Чужой", institution=institution_b)
    household = services.household_create(actor=SYSTEM, applicant=mother)
    client = login(worker_a)
    url = reverse("registry:household", args=[household.pk])
    refused = client.post(url, {"person": stranger.pk, "relation": "child"})
    assert refused.context["form"].errors["person"]
    client.post(url, {"person": child.pk, "relation": "child"})
    assert household.members.count() == 2


def test_a_worker_edits_a_record_with_a_reason(login, worker_a, make_person):
    person = make_person(snils=valid_snils())
    client = login(worker_a)
    form = client.get(reverse("registry:person_edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(last_name="Петрова", reason="брак", birth_date="1956-03-08")
    response = client.post(reverse("registry:person_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Петрова" and person.former_names.count() == 1


def test_household_members_outside_the_scope_are_not_named(
    login, worker_a, make_person, institution_b
):
    mother = make_person()
    lodger = make_person(last_name="Секретова", first_name="Анна", institution=institution_b)
    household = services.household_create(actor=SYSTEM, applicant=mother)
    services.household_add_member(
        actor=SYSTEM, household=household, person=lodger, relation="other"
    )
    client = login(worker_a)
    for url in (
        reverse("registry:household", args=[household.pk]),
        reverse("registry:person", args=[mother.pk]) + "?tab=household",
    ):
        body = client.get(url).content.decode()
        assert "Секретова" not in body, url
        assert mother.last_name in body


def test_a_manager_attaches_a_person_to_another_of_her_institutions(
    login, make_user, make_person, institution_a, institution_b, make_institution
):
    from opora.core.roles import Role

    outside = make_institution(code="gamma")
    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a, institution_b])
    person = make_person()
    client = login(manager)
    url = reverse("registry:person_serve", args=[person.pk])
    page = client.get(url).content.decode()
    # Only her institutions that do not serve the person yet are offered.
    assert f'value="{institution_b.pk}"' in page
    assert f'value="{institution_a.pk}"' not in page
    assert f'value="{outside.pk}"' not in page

    refused = client.post(url, {"institution": outside.pk})
    assert refused.status_code == 200
    assert not person.served_by.filter(pk=outside.pk).exists()

    saved = client.post(url, {"institution": institution_b.pk})
    assert saved.status_code == 302
    assert set(person.served_by.all()) == {institution_a, institution_b}
    assert AuditEntry.objects.filter(
        action="registry.person.served", object_id=str(person.pk)
    ).exists()


def test_a_worker_cannot_attach_a_person_she_does_not_see(login, worker_b, make_person):
    person = make_person()
    client = login(worker_b)
    assert client.get(reverse("registry:person_serve", args=[person.pk])).status_code == 404


def test_a_document_cannot_expire_before_it_was_issued(login, worker_a, make_person):
    from opora.registry.models import DocumentKind

    person = make_person()
    kind = DocumentKind.objects.get(code="passport-rf")
    client = login(worker_a)
    response = client.post(
        reverse("registry:document_add", args=[person.pk]),
        {
            "kind": kind.pk,
            "series": "4510",
            "number": "123456",
            "issued_on": "2020-05-01",
            "valid_to": "2019-05-01",
        },
    )
    assert response.status_code == 200
    assert not person.documents.exists()
    saved = client.post(
        reverse("registry:document_add", args=[person.pk]),
        {
            "kind": kind.pk,
            "series": "4510",
            "number": "123456",
            "issued_on": "2020-05-01",
            "valid_to": "2045-05-01",
        },
    )
    assert saved.status_code == 302
    assert person.documents.get().valid_to == dt.date(2045, 5, 1)
