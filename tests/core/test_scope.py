"""The one scoping mechanism (``opora.core.scoping.Scope``) and its use on institutions.

Every way of reaching an institution — the list page, its HTMX partial, the detail page, the
global search, the API list and detail — must show a member of staff her own institutions and
nothing else; administrators see all, analysts see institutions (they are not personal data) but
no personal rows, and inactive accounts see nothing.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core import services as core_services
from opora.core.actors import SYSTEM
from opora.core.roles import INSTITUTION_STAFF_ROLES, Role
from opora.core.scoping import Reach, Scope
from opora.institutions import selectors
from opora.institutions.models import Institution

pytestmark = pytest.mark.django_db

STAFF_ROLES = sorted(INSTITUTION_STAFF_ROLES)
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "results"}
# Database-backed property tests: each example rolls back its own rows, so the function-scoped
# fixtures (institutions, client) are safe to share between examples.
db_property = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def detail_url(institution: Institution) -> str:
    return reverse("institutions:detail", args=[institution.pk])


def api_detail_url(institution: Institution) -> str:
    return f"/api/v1/institutions/{institution.pk}"


def api_ids(client, **params) -> set[int]:
    response = client.get("/api/v1/institutions/", params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])  # every test here fits in one page
    return {item["id"] for item in body["items"]}


def linked(content: bytes, institution: Institution) -> bool:
    return f'href="{detail_url(institution)}"' in content.decode()


@pytest.fixture
def both(institution_a, institution_b):
    return institution_a, institution_b


# --- Scope itself -----------------------------------------------------------------------------


def test_scope_of_each_kind_of_account(
    worker_a, admin_user, analyst, make_user, institution_a, institution_b
):
    assert Scope.of(worker_a) == Scope(Reach.INSTITUTIONS, frozenset({institution_a.pk}))
    assert Scope.of(admin_user).reach is Reach.ALL
    assert Scope.of(admin_user).sees_everything
    assert Scope.of(analyst).reach is Reach.AGGREGATES
    assert not Scope.of(analyst).sees_everything

    manager = make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a, institution_b])
    assert Scope.of(manager).institution_ids == {institution_a.pk, institution_b.pk}


def test_anonymous_user_has_no_scope():
    assert Scope.of(AnonymousUser()).reach is Reach.NOTHING


def test_analyst_sees_institutions_but_no_personal_rows(analyst, both):
    everything = Institution.objects.all()
    scope = Scope.of(analyst)
    assert set(scope.rows(everything, via="pk", personal=False)) == set(both)
    assert not scope.rows(everything, via="pk", personal=True).exists()
    # Rows are personal unless a selector says otherwise.
    assert not scope.rows(everything, via="pk").exists()
    # Aggregates are computed over the whole department.
    assert set(scope.aggregates(everything, via="pk")) == set(both)


def test_staff_aggregates_are_limited_to_their_institutions(worker_a, institution_a, both):
    scope = Scope.of(worker_a)
    everything = Institution.objects.all()
    assert list(scope.aggregates(everything, via="pk")) == [institution_a]
    assert list(scope.rows(everything, via="pk", personal=True)) == [institution_a]


def test_administrator_sees_personal_rows_everywhere(admin_user, both):
    scope = Scope.of(admin_user)
    assert set(scope.rows(Institution.objects.all(), via="pk", personal=True)) == set(both)


def test_scope_follows_a_lookup_path(worker_a, worker_b, institution_a):
    """``via`` reaches the institution through a relation: here users through their membership."""
    from opora.core.models import User

    visible = Scope.of(worker_a).rows(User.objects.all(), via="institutions")
    assert worker_a in visible
    assert worker_b not in visible


def test_inactive_user_sees_nothing(worker_a, both):
    core_services.user_update(actor=SYSTEM, user=worker_a, is_active=False)
    worker_a.refresh_from_db()
    assert Scope.of(worker_a).reach is Reach.NOTHING
    assert not selectors.institution_list(actor=worker_a).exists()
    assert not Scope.of(worker_a).aggregates(Institution.objects.all(), via="pk").exists()


def test_inactive_administrator_sees_nothing(admin_user, both):
    core_services.user_update(actor=SYSTEM, user=admin_user, is_active=False)
    admin_user.refresh_from_db()
    assert Scope.of(admin_user).reach is Reach.NOTHING
    assert not selectors.institution_list(actor=admin_user).exists()


def test_staff_without_institutions_sees_nothing(worker_a, both):
    # The services refuse to leave a member of staff without an institution, but the membership
    # can still vanish underneath (an institution removed in the admin site): scope must not
    # fall back to "everything" then.
    worker_a.institutions.clear()
    worker = type(worker_a).objects.get(pk=worker_a.pk)
    scope = Scope.of(worker)
    assert scope == Scope(Reach.INSTITUTIONS, frozenset())
    assert not scope.rows(Institution.objects.all(), via="pk", personal=False).exists()
    assert not selectors.institution_list(actor=worker).exists()


def test_scope_is_cached_per_account_object(
    worker_a, institution_a, institution_b, django_assert_num_queries
):
    Scope.of(worker_a)
    with django_assert_num_queries(0):
        assert Scope.of(worker_a).institution_ids == {institution_a.pk}


@given(
    reach=st.sampled_from(list(Reach)),
    member_mask=st.lists(st.booleans(), min_size=4, max_size=4),
    personal=st.booleans(),
)
@db_property
def test_rows_matches_its_definition(make_institution, reach, member_mask, personal):
    with transaction.atomic():
        institutions = [make_institution() for _ in member_mask]
        members = frozenset(i.pk for i, m in zip(institutions, member_mask, strict=True) if m)
        every = {i.pk for i in institutions}
        qs = Institution.objects.filter(pk__in=every)
        scope = Scope(reach, members if reach is Reach.INSTITUTIONS else frozenset())
        got = set(scope.rows(qs, via="pk", personal=personal).values_list("pk", flat=True))
        expected = {
            Reach.ALL: every,
            Reach.AGGREGATES: set() if personal else every,
            Reach.INSTITUTIONS: set(members),
            Reach.NOTHING: set(),
        }[reach]
        assert got == expected
        transaction.set_rollback(True)


# --- Web pages --------------------------------------------------------------------------------


def test_worker_gets_404_on_another_institutions_detail_page(login, worker_a, both):
    a, b = both
    client = login(worker_a)
    assert client.get(detail_url(a)).status_code == 200
    assert client.get(detail_url(b)).status_code == 404
    # Every tab of the page, including its HTMX partial, is behind the same lookup.
    assert client.get(detail_url(b), {"tab": "history"}).status_code == 404
    tab_partial = {"HX-Request": "true", "HX-Target": "tab-body"}
    response = client.get(detail_url(b), {"tab": "history"}, headers=tab_partial)
    assert response.status_code == 404


def test_worker_sees_only_her_institution_in_the_list_page(login, worker_a, both):
    a, b = both
    response = login(worker_a).get(reverse("institutions:list"))
    assert response.status_code == 200
    assert linked(response.content, a)
    assert not linked(response.content, b)
    assert "Центр «Бета»" not in response.content.decode()
    assert response.context["table"].page.paginator.count == 1


def test_worker_sees_only_her_institution_in_the_htmx_partial(login, worker_a, both):
    a, b = both
    response = login(worker_a).get(reverse("institutions:list"), headers=HTMX_RESULTS)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content, "an HTMX request for #results gets the fragment only"
    assert 'id="results"' in content
    assert linked(response.content, a)
    assert not linked(response.content, b)


def test_worker_cannot_find_another_institution_by_filtering(login, worker_a, both):
    _, b = both
    client = login(worker_a)
    for query in (b.code, "Бета", "Beta"):
        response = client.get(reverse("institutions:list"), {"q": query}, headers=HTMX_RESULTS)
        assert response.status_code == 200
        assert not linked(response.content, b), query


def test_worker_finds_only_her_institution_in_the_global_search(login, worker_a, both):
    a, b = both
    client = login(worker_a)
    response = client.get(reverse("core:search"), {"q": "Центр"})
    assert response.status_code == 200
    assert linked(response.content, a)
    assert not linked(response.content, b)
    response = client.get(reverse("core:search"), {"q": "beta"})
    assert not linked(response.content, b)


def test_administrator_sees_both_institutions_everywhere(login, admin_user, both):
    a, b = both
    client = login(admin_user)
    for response in (
        client.get(reverse("institutions:list")),
        client.get(reverse("institutions:list"), headers=HTMX_RESULTS),
        client.get(reverse("core:search"), {"q": "Центр"}),
    ):
        assert response.status_code == 200
        assert linked(response.content, a)
        assert linked(response.content, b)
    assert client.get(detail_url(b)).status_code == 200
    assert client.get(api_detail_url(b)).status_code == 200


def test_analyst_sees_institutions_everywhere(login, analyst, both):
    a, b = both
    client = login(analyst)
    response = client.get(reverse("institutions:list"))
    assert linked(response.content, a)
    assert linked(response.content, b)
    assert client.get(detail_url(a)).status_code == 200
    assert client.get(detail_url(b)).status_code == 200
    assert client.get(api_detail_url(b)).status_code == 200
    response = client.get(reverse("core:search"), {"q": "Центр"})
    assert linked(response.content, a)
    assert linked(response.content, b)


def test_inactive_user_is_signed_out_of_every_page(client, worker_a, both):
    a, _ = both
    client.force_login(worker_a)
    core_services.user_update(actor=SYSTEM, user=worker_a, is_active=False)
    for url in (reverse("institutions:list"), detail_url(a), reverse("core:search") + "?q=Центр"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("core:login"))
    assert client.get(api_detail_url(a)).status_code == 401
    assert client.get("/api/v1/institutions/").status_code == 401


def test_staff_without_institutions_sees_an_empty_list(client, worker_a, both):
    a, b = both
    worker_a.institutions.clear()  # see test_staff_without_institutions_sees_nothing
    client.force_login(worker_a)
    response = client.get(reverse("institutions:list"))
    assert response.status_code == 200
    assert not linked(response.content, a)
    assert not linked(response.content, b)
    assert client.get(detail_url(a)).status_code == 404
    assert client.get(api_detail_url(a)).status_code == 404


def test_moving_a_worker_moves_her_scope(client, admin_user, worker_a, both):
    a, b = both
    core_services.user_update(actor=admin_user, user=worker_a, institutions=[b])
    client.force_login(worker_a)
    assert client.get(detail_url(a)).status_code == 404
    assert client.get(detail_url(b)).status_code == 200
    assert client.get(api_detail_url(a)).status_code == 404


# --- API --------------------------------------------------------------------------------------


def test_worker_gets_404_from_the_api_on_another_institution(login, worker_a, both):
    a, b = both
    client = login(worker_a)
    response = client.get(api_detail_url(a))
    assert response.status_code == 200
    assert response.json()["code"] == a.code
    response = client.get(api_detail_url(b))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_worker_sees_only_her_institution_in_the_api_list(login, worker_a, both):
    a, b = both
    client = login(worker_a)
    assert api_ids(client) == {a.pk}
    assert api_ids(client, q=b.code) == set()
    assert api_ids(client, q="Центр") == {a.pk}


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ANALYST])
def test_administrators_and_analysts_see_both_in_the_api_list(login, make_user, role, both):
    assert api_ids(login(make_user(role))) == {i.pk for i in both}


def test_staff_without_institutions_gets_an_empty_api_list(login, worker_a, both):
    worker_a.institutions.clear()  # see test_staff_without_institutions_sees_nothing
    assert api_ids(login(worker_a)) == set()


def test_api_list_with_a_token_is_scoped_like_its_account(client, make_user, admin_user, both):
    _, b = both
    robot = make_user(Role.SOCIAL_WORKER, institutions=[b])
    _, key = core_services.api_token_issue(actor=admin_user, user=robot, name="robot")
    body = client.get("/api/v1/institutions/", headers={"Authorization": f"Bearer {key}"}).json()
    assert [item["id"] for item in body["items"]] == [b.pk]


def test_api_detail_with_a_token_is_scoped_like_its_account(client, make_user, admin_user, both):
    """A service account calling with a bearer token is scoped like the account it belongs to."""
    a, b = both
    robot = make_user(Role.SOCIAL_WORKER, institutions=[b])
    _, key = core_services.api_token_issue(actor=admin_user, user=robot, name="robot")
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get(api_detail_url(b), headers=auth).status_code == 200
    assert client.get(api_detail_url(a), headers=auth).status_code == 404


# --- Property: the visible set is exactly the assigned set ------------------------------------


assignments = st.lists(
    st.tuples(
        st.sampled_from(STAFF_ROLES),
        st.sets(st.integers(min_value=0, max_value=3), min_size=1),
        st.booleans(),  # active
    ),
    min_size=1,
    max_size=4,
)


@pytest.fixture
def four_institutions(make_institution):
    return [make_institution(name=f"Центр № {n}", code=f"prop-{n}") for n in range(4)]


@given(assignments=assignments)
@db_property
def test_visible_institutions_are_exactly_the_assigned_ones(
    make_user, four_institutions, assignments
):
    with transaction.atomic():
        for role, indexes, active in assignments:
            assigned = [four_institutions[i] for i in sorted(indexes)]
            user = make_user(role, institutions=assigned, password=None)
            if not active:
                user = core_services.user_update(actor=SYSTEM, user=user, is_active=False)
            expected = {i.pk for i in assigned} if active else set()
            visible = set(selectors.institution_list(actor=user).values_list("pk", flat=True))
            assert visible == expected
            assert set(selectors.institution_choices(actor=user).values_list("pk", flat=True)) == (
                expected
            )
            for institution in four_institutions:
                if institution.pk in expected:
                    assert selectors.institution_get(actor=user, pk=institution.pk) == institution
                else:
                    with pytest.raises(Http404):
                        selectors.institution_get(actor=user, pk=institution.pk)
        transaction.set_rollback(True)


@given(assignments=assignments)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_visible_institutions_through_http_are_exactly_the_assigned_ones(
    client, make_user, four_institutions, assignments
):
    with transaction.atomic():
        for role, indexes, active in assignments:
            assigned = [four_institutions[i] for i in sorted(indexes)]
            user = make_user(role, institutions=assigned, password=None)
            client.force_login(user)
            if not active:
                core_services.user_update(actor=SYSTEM, user=user, is_active=False)
                assert client.get(api_detail_url(assigned[0])).status_code == 401
                continue
            expected = {i.pk for i in assigned}
            page = client.get(reverse("institutions:list"), headers=HTMX_RESULTS)
            assert {i.pk for i in four_institutions if linked(page.content, i)} == expected
            for institution in four_institutions:
                status = 200 if institution.pk in expected else 404
                assert client.get(detail_url(institution)).status_code == status
                assert client.get(api_detail_url(institution)).status_code == status
        transaction.set_rollback(True)
