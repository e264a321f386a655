"""The kinds of social service of 442-FZ art. 20, reference data every installation needs.

Loaded by the data migration 0002 and, in a database flushed by tests, by ``ensure_kinds``;
administrators may rename them in the admin site."""

from __future__ import annotations

from typing import Any

SERVICE_KINDS = [
    # code, order, name, name in English, urgent (art. 21)
    ("social-household", 1, "Социально-бытовые услуги", "Social-household services", False),
    ("social-medical", 2, "Социально-медицинские услуги", "Social-medical services", False),
    (
        "social-psychological",
        3,
        "Социально-психологические услуги",
        "Social-psychological services",
        False,
    ),
    (
        "social-pedagogical",
        4,
        "Социально-педагогические услуги",
        "Social-pedagogical services",
        False,
    ),
    ("social-labour", 5, "Социально-трудовые услуги", "Social-labour services", False),
    ("social-legal", 6, "Социально-правовые услуги", "Social-legal services", False),
    (
        "communicative",
        7,
        "Услуги в целях повышения коммуникативного потенциала получателей социальных услуг, "
        "имеющих ограничения жизнедеятельности, в том числе детей-инвалидов",
        "Services to raise the communicative potential of recipients with disabilities, "
        "including disabled children",
        False,
    ),
    ("urgent", 8, "Срочные социальные услуги", "Urgent social services", True),
]


def load_kinds(kind_model: Any) -> None:
    """Create the kinds that are missing; existing ones keep what administrators changed.
    Takes the model so that the migration can pass its historical one."""
    for code, order, name, name_en, is_urgent in SERVICE_KINDS:
        kind_model.objects.get_or_create(
            code=code,
            defaults={"order": order, "name": name, "name_en": name_en, "is_urgent": is_urgent},
        )


def ensure_kinds() -> None:
    """Reference data, like the registry's kinds of document: no audit entries."""
    from django.db import transaction

    from .models import ServiceKind

    with transaction.atomic():
        load_kinds(ServiceKind)
