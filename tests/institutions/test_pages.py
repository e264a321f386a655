"""The pages of institutions, districts and staff: filters, tabs, forms and who may use them.

Out of scope is not found (404); seen but not one's own to change is refused (403)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.core.roles import Role
from opora.institutions import services
from opora.institutions.models import Employee, Institution

pytestmark = pytest.mark.django_db

HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "results"}
HTMX_TAB = {"HX-Request": "true", "HX-Target": "tab-body"}


def url(name: str, *args) -> str:
    return reverse(f"institutions:{name}", args=args)


def listed(response) -> list[str]:
    return [i.code for i in response.context["table"].rows]


@pytest.fixture
def network(admin_user, reference, institution_a, institution_b, make_institution):
    """A: a TCSO in Tverskoy; B: a crisis centre under renovation; C: a closed TCSO."""
    tverskoy = services.district_create(
        actor=admin_user, code="tverskoy", name="Тверской", name_en="Tverskoy", population=76_000
    )
    services.institution_update(
        actor=admin_user, institution=institution_a, kind=reference.kind("tcso"), district=tverskoy
    )
    services.institution_update(
        actor=admin_user, institution=institution_b, kind=reference.kind("crisis-centre")
    )
    services.institution_set_status(
        actor=admin_user, institution=institution_b, status="renovation"
    )
    closed = make_institution(code="gamma", name="Центр «Гамма»", kind=reference.kind("tcso"))
    services.institution_set_status(actor=admin_user, institution=closed, status="closed")
    return {"tverskoy": tverskoy, "closed": closed}


# --- Institutions -----------------------------------------------------------------------------


def test_the_list_filters_by_district_kind_and_status(login, admin_user, network):
    client = login(admin_user)
    district = network["tverskoy"]
    assert listed(client.get(url("list"), {"district": district.pk})) == ["alpha"]
    assert listed(client.get(url("list"), {"kind": "tcso"})) == ["alpha", "gamma"]
    assert listed(client.get(url("list"), {"kind": "tcso", "status": "closed"})) == ["gamma"]
    assert listed(client.get(url("list"), {"status": "renovation"})) == ["beta"]
    response = client.get(url("list"), {"kind": "boarding-school"}, headers=HTMX_RESULTS)
    content = response.content.decode()
    assert "<html" not in content and 'class="empty"' in content


def test_the_list_sorts_by_staff_and_paginates(
    login, admin_user, network, institution_b, make_employee
):
    make_employee(institution=institution_b)
    client = login(admin_user)
    response = client.get(url("list"), {"sort": "-staff"})
    assert listed(response)[0] == "beta"
    response = client.get(url("list"), {"per_page": 25, "page": 2})
    assert response.status_code == 200  # past the last page: the last page, not an error


def test_the_overview_shows_capacity_accessibility_and_status_history(
    login, admin_user, institution_a, reference
):
    services.institution_update(
        actor=admin_user,
        institution=institution_a,
        capacities={"residential": 60},
        accessibility=[reference.feature("induction-loop")],
    )
    services.institution_set_status(
        actor=admin_user, institution=institution_a, status="renovation", reason="Капремонт"
    )
    response = login(admin_user).get(url("detail", institution_a.pk))
    content = response.content.decode()
    assert "60 places" in content or "60 мест" in content
    assert "Индукционная петля" in content
    assert "Капремонт" in content
    assert 'data-testid="change-status"' in content


def test_the_staff_tab_lists_the_people_working_there(
    login, manager_a, institution_a, make_employee
):
    make_employee(last_name="Соколова")
    make_employee(last_name="Уволенная", hired_on=dt.date(2010, 1, 1))
    gone = Employee.objects.get(last_name="Уволенная").employments.get()
    services.employment_end(actor=SYSTEM, employment=gone, left_on=dt.date(2011, 1, 1))
    response = login(manager_a).get(
        url("detail", institution_a.pk), {"tab": "staff"}, headers=HTMX_TAB
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "Соколова" in content and "Уволенная" not in content
    assert f"{url('employee_create')}?institution={institution_a.pk}" in content


def test_analysts_see_staff_figures_but_no_names(login, analyst, institution_a, make_employee):
    make_employee(last_name="Соколова")
    response = login(analyst).get(url("detail", institution_a.pk), {"tab": "staff"})
    assert response.status_code == 200
    assert response.context["counts"]["total"] == 1
    assert "Соколова" not in response.content.decode()


def test_an_administrator_adds_an_institution(login, admin_user, reference):
    response = login(admin_user).post(
        url("create"),
        {
            "code": "tcso-arbat",
            "name": "ТЦСО «Арбат»",
            "kind": reference.kind("tcso").pk,
            "status": "open",
            "capacity_home": "900",
            "accessibility": [reference.feature("ramp").pk],
        },
    )
    institution = Institution.objects.get(code="tcso-arbat")
    assert response.status_code == 302 and response["Location"] == url("detail", institution.pk)
    assert institution.capacities.get().capacity == 900


def test_a_refused_rule_is_shown_next_to_its_field(login, admin_user, institution_a):
    response = login(admin_user).post(
        url("create"), {"code": institution_a.code, "name": "Дубль", "status": "open"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert Institution.objects.filter(code=institution_a.code).count() == 1


def test_a_manager_edits_her_own_institution_without_its_structure(
    login, manager_a, institution_a, institution_b
):
    client = login(manager_a)
    response = client.get(url("edit", institution_a.pk))
    assert response.status_code == 200
    assert "code" not in response.context["form"].fields
    response = client.post(
        url("edit", institution_a.pk),
        {"name": institution_a.name, "opening_hours": "пн–пт 9:00–18:00", "code": "hacked"},
    )
    assert response.status_code == 302
    institution_a.refresh_from_db()
    assert institution_a.opening_hours == "пн–пт 9:00–18:00" and institution_a.code == "alpha"
    # Another institution's pages are not found; creating one is not hers to do.
    assert client.get(url("edit", institution_b.pk)).status_code == 404
    assert client.post(url("status", institution_b.pk), {"status": "closed"}).status_code == 404
    assert client.get(url("create")).status_code == 403


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST, Role.COOPERATION_OFFICER])
def test_other_roles_cannot_change_institutions(login, make_user, institution_a, role):
    client = login(make_user(role, institutions=[institution_a]))
    assert client.get(url("detail", institution_a.pk)).status_code == 200
    assert client.get(url("edit", institution_a.pk)).status_code == 403
    assert client.post(url("status", institution_a.pk), {"status": "closed"}).status_code == 403
    assert Institution.objects.get(pk=institution_a.pk).is_active


def test_the_status_page_records_a_change(login, manager_a, institution_a):
    client = login(manager_a)
    response = client.get(url("status", institution_a.pk))
    assert [c for c, _ in response.context["form"].fields["status"].choices if c == "open"] == []
    response = client.post(
        url("status", institution_a.pk),
        {"status": "renovation", "effective_on": "2020-01-01", "reason": "Ремонт"},
    )
    assert response.status_code == 200  # before the current status: refused, shown on the form
    assert response.context["form"].errors["effective_on"]
    today = dt.date.today().isoformat()
    response = client.post(
        url("status", institution_a.pk),
        {"status": "renovation", "effective_on": today, "reason": "Ремонт"},
    )
    assert response.status_code == 302
    assert Institution.objects.get(pk=institution_a.pk).status == "renovation"


# --- Districts --------------------------------------------------------------------------------


def test_districts_list_their_population_and_institutions(login, worker_a, network):
    client = login(worker_a)
    response = client.get(url("districts"))
    assert [d.code for d in response.context["table"].rows] == ["tverskoy"]
    assert "76" in response.content.decode()
    response = client.get(url("district", network["tverskoy"].pk))
    assert list(response.context["institutions"]) == [Institution.objects.get(code="alpha")]
    assert client.get(url("district_edit", network["tverskoy"].pk)).status_code == 403
    response = client.get(url("districts"), {"q": "нет такого"}, headers=HTMX_RESULTS)
    assert 'class="empty"' in response.content.decode()


def test_an_administrator_changes_a_district(login, admin_user, network):
    district = network["tverskoy"]
    response = login(admin_user).post(
        url("district_edit", district.pk),
        {"code": "tverskoy", "name": "Тверской", "name_en": "Tverskoy", "population": "77000"},
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.population == 77_000


# --- Staff ------------------------------------------------------------------------------------


def test_a_manager_adds_an_employee_to_her_institution(login, manager_a, institution_a, reference):
    response = login(manager_a).post(
        url("employee_create"),
        {
            "last_name": "Кузнецова",
            "first_name": "Ирина",
            "institution": institution_a.pk,
            "position": reference.position("social-worker").pk,
            "hired_on": "2025-02-03",
            "caseload_limit": "12",
        },
    )
    employee = Employee.objects.get(last_name="Кузнецова")
    assert response.status_code == 302 and response["Location"] == url("employee", employee.pk)
    assert employee.employments.get().caseload_limit == 12


def test_a_manager_cannot_hire_into_another_institution(login, manager_a, institution_b, reference):
    response = login(manager_a).post(
        url("employee_create"),
        {
            "last_name": "Кузнецова",
            "first_name": "Ирина",
            "institution": institution_b.pk,
            "position": reference.position("nurse").pk,
            "hired_on": "2025-02-03",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["institution"]
    assert not Employee.objects.exists()


def test_staff_of_another_institution_are_not_found(login, manager_a, institution_b, make_employee):
    other = make_employee(institution=institution_b)
    employment = other.employments.get()
    client = login(manager_a)
    for page in (
        url("employee", other.pk),
        url("employee_edit", other.pk),
        url("training_add", other.pk),
        url("employment_end", other.pk, employment.pk),
    ):
        assert client.get(page).status_code == 404, page


def test_seen_but_not_hers_to_change_is_refused(
    login, manager_a, institution_b, make_employee, reference
):
    """A colleague who moved from A to B: the manager of A reads her record but changes
    neither it nor her employment at B."""
    moved = make_employee(hired_on=dt.date(2015, 1, 1))
    services.employment_end(
        actor=SYSTEM, employment=moved.employments.get(), left_on=dt.date(2020, 12, 31)
    )
    at_b = services.employment_add(
        actor=SYSTEM,
        employee=moved,
        institution=institution_b,
        position=reference.position("nurse"),
        hired_on=dt.date(2021, 1, 1),
    )
    client = login(manager_a)
    assert client.get(url("employee", moved.pk)).status_code == 200
    assert client.get(url("employee_edit", moved.pk)).status_code == 403
    assert client.post(url("training_add", moved.pk), {"title": "x"}).status_code == 403
    assert client.get(url("employment_end", moved.pk, at_b.pk)).status_code == 403


def test_a_social_worker_reads_colleagues_but_changes_nothing(login, worker_a, make_employee):
    colleague = make_employee(phone="+7 916 000-00-42")
    client = login(worker_a)
    response = client.get(url("employee", colleague.pk))
    content = response.content.decode()
    assert "•••• ••42" in content and "000-00-42" not in content
    assert client.get(url("employee_edit", colleague.pk)).status_code == 403
    assert client.get(url("employee_create")).status_code == 403


def test_recording_leaving_and_training_from_the_pages(login, manager_a, make_employee):
    employee = make_employee(hired_on=dt.date(2019, 5, 6))
    employment = employee.employments.get()
    client = login(manager_a)
    response = client.post(
        url("employment_end", employee.pk, employment.pk),
        {"left_on": "2019-05-01", "reason": "ошибка"},
    )
    assert response.context["form"].errors["left_on"]  # before hiring: said on the field
    response = client.post(
        url("training_add", employee.pk),
        {
            "title": "Оказание первой помощи",
            "kind": "training",
            "started_on": "2024-03-01",
            "hours": "16",
        },
    )
    assert response.status_code == 302
    response = client.get(url("employee", employee.pk))
    assert "Оказание первой помощи" in response.content.decode()
    response = client.post(
        url("employment_end", employee.pk, employment.pk), {"left_on": "2025-01-31"}
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.left_on == dt.date(2025, 1, 31)


def test_the_staff_list_filters_and_updates_in_place(
    login, manager_a, institution_a, make_employee
):
    make_employee(last_name="Соколова")
    make_employee(last_name="Орлова", position="nurse")
    client = login(manager_a)
    response = client.get(url("staff"), {"position": "nurse"}, headers=HTMX_RESULTS)
    content = response.content.decode()
    assert "<html" not in content and "Орлова" in content and "Соколова" not in content
    response = client.get(url("staff"), {"q": "соколова"})
    assert [e.last_name for e in response.context["table"].rows] == ["Соколова"]
    response = client.get(url("staff"), {"active": "0"})
    assert 'class="empty"' in response.content.decode()


def test_the_employee_history_tells_what_happened(login, admin_user, make_employee):
    employee = make_employee()
    services.training_record(
        actor=admin_user,
        employee=employee,
        title="Семинар",
        kind="seminar",
        started_on=dt.date(2024, 1, 1),
    )
    response = login(admin_user).get(url("employee", employee.pk), {"tab": "history"})
    sentences = [row["sentence"] for row in response.context["history"]]
    assert any("Семинар" in s for s in sentences)
    assert any("Центр «Альфа»" in s or "Alpha Centre" in s for s in sentences)
    assert AuditEntry.objects.filter(action="institutions.employee.hired").count() == 1


def test_staff_navigation_and_search(login, manager_a, analyst, make_employee):
    make_employee(last_name="Ёлкина")
    client = login(manager_a)
    content = client.get(reverse("core:dashboard")).content.decode()
    assert f'href="{url("staff")}"' in content and 'data-widget="staff"' in content
    response = client.get(reverse("core:search"), {"q": "елкина"})
    assert "Ёлкина" in response.content.decode()
    content = login(analyst).get(reverse("core:dashboard")).content.decode()
    assert f'href="{url("staff")}"' not in content and 'data-widget="staff"' in content
