"""The institutions' demo steps: every institution of the seeds with its facts, a few hundred
staff, and nothing added by a second load."""

from __future__ import annotations

import pytest

from opora.core.actors import SYSTEM
from opora.core.models import AuditEntry
from opora.demo.data.facts import DEMO_ACCOUNTS, INSTITUTIONS
from opora.demo.loading import DemoContext
from opora.demo.steps.accounts import load_accounts, load_synthetic_staff
from opora.demo.steps.institutions import load_institutions, load_staff
from opora.institutions import selectors
from opora.institutions.models import Employee, Institution, TrainingRecord

pytestmark = pytest.mark.django_db


def load() -> None:
    context = DemoContext(actor=SYSTEM)
    for demo_step in (load_institutions, load_accounts, load_synthetic_staff, load_staff):
        demo_step(context)


def test_the_demo_network_and_staff_load_once(analyst):
    load()
    counts = (
        Institution.objects.count(),
        Employee.objects.count(),
        TrainingRecord.objects.count(),
        AuditEntry.objects.count(),
    )
    load()
    assert (
        Institution.objects.count(),
        Employee.objects.count(),
        TrainingRecord.objects.count(),
        AuditEntry.objects.count(),
    ) == counts

    institutions = {i.code: i for i in Institution.objects.select_related("kind", "district")}
    for fact in INSTITUTIONS:
        institution = institutions[fact["code"]]
        assert institution.kind.code == fact["kind"], fact["code"]
        assert (institution.district.code if institution.district else None) == fact.get(
            "district"
        ), fact["code"]
        assert institution.address == fact.get("address", ""), fact["code"]
        assert (institution.parent.code if institution.parent else None) == fact.get("parent")
    assert institutions["lugansk-hospital-1-issuing-point"].status == "planned"
    assert institutions["tcso-tverskoy"].capacities.filter(form="home").exists()

    staff = selectors.staff_counts(actor=analyst)
    assert 250 <= staff["total"] <= 500
    assert Employee.objects.filter(employments__left_on__isnull=False).exists()
    assert TrainingRecord.objects.filter(source__startswith="Seed 002").exists()
    # Every demo account of a member of an institution's staff has her staff record (the
    # department's administrators, analysts and accountants work at no institution).
    department_roles = ("administrator", "analyst", "accountant")
    staff_accounts = {u for u, role, _ in DEMO_ACCOUNTS if role not in department_roles}
    linked = set(
        Employee.objects.filter(user__isnull=False).values_list("user__username", flat=True)
    )
    assert staff_accounts <= linked
