"""Object-page panels: how a higher app shows what it knows on a lower app's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from opora.core import registry as shell
from opora.core.access import USERS_MANAGE
from opora.core.actors import SYSTEM
from opora.core.registry import Panel, add_panel
from opora.core.roles import Role
from opora.registry import services as registry_services
from opora.registry.access import PERSON_VIEW


@pytest.fixture
def person(db, institution_a):
    return registry_services.person_register(
        actor=SYSTEM,
        institution=institution_a,
        last_name="Сидорова",
        first_name="Анна",
        patronymic="Ивановна",
        sex="F",
        birth_date=dt.date(1950, 1, 2),
    )


@pytest.fixture
def extra_panels():
    """Panels added by a test are taken away again, whatever happens."""
    before = dict(shell._registry.panels)
    yield add_panel
    shell._registry.panels.clear()
    shell._registry.panels.update(before)


def _panel(key, *, permission=PERSON_VIEW, order=100, context=None, title="Panel"):
    return Panel(
        key=key,
        target="registry.person",
        title=title,
        template="core/fragment_empty.html",
        permission=permission,
        context=context or (lambda request, person: {"title": f"{key}: {person.last_name}"}),
        order=order,
    )


def test_panels_render_on_the_object_page_in_order_with_the_object(
    login, worker_a, person, extra_panels
):
    extra_panels(_panel("second", order=20, title="Second panel"))
    extra_panels(_panel("first", order=10, title="First panel"))
    page = login(worker_a).get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'data-testid="panel-first"' in page
    assert "first: Сидорова" in page and "second: Сидорова" in page
    assert page.index('data-testid="panel-first"') < page.index('data-testid="panel-second"')


def test_a_panel_is_shown_only_with_its_permission_and_only_when_it_has_something(
    login, make_user, institution_a, person, extra_panels
):
    extra_panels(_panel("for-admins", permission=USERS_MANAGE))
    extra_panels(_panel("silent", context=lambda request, person: None))
    worker = make_user(Role.SOCIAL_WORKER, institutions=[institution_a])
    page = login(worker).get(reverse("registry:person", args=[person.pk])).content.decode()
    assert 'data-testid="panel-for-admins"' not in page
    assert 'data-testid="panel-silent"' not in page


def test_a_panel_names_a_page_that_takes_panels():
    with pytest.raises(ValueError, match="takes panels"):
        Panel("x", "registry.nothing", "X", "t.html", PERSON_VIEW, lambda r, o: {})


def test_the_cases_of_a_person_come_from_casework_as_a_panel():
    keys = [p.key for p in shell._registry.panels.values() if p.target == "registry.person"]
    assert "casework-person-cases" in keys
