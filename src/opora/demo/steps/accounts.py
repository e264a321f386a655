from typing import Any

from opora.core import services
from opora.core.models import User
from opora.core.roles import Role
from opora.demo.data.facts import DEMO_ACCOUNT_NAMES, DEMO_ACCOUNTS, DEMO_PASSWORD
from opora.demo.loading import DemoContext, step
from opora.demo.population.names import random_name
from opora.institutions.models import Institution

# Synthetic staff per institution, by role, so lists and scopes have people in them.
SYNTHETIC_STAFF = {
    "tcso-": [Role.SOCIAL_WORKER] * 3 + [Role.INSTITUTION_MANAGER],
    "crisis-": [Role.SOCIAL_WORKER] * 2,
    "family-": [Role.SOCIAL_WORKER] * 2,
    "my-": [Role.EMPLOYMENT_SPECIALIST] * 2,
}


def _ensure_account(
    ctx: DemoContext, username: str, role: str, institutions: list[int], **fields: Any
) -> None:
    """Create the account unless it exists; its name is drawn either way, so that every run
    draws the same sequence and later accounts keep their names. An account the demo's records
    name (``DEMO_ACCOUNT_NAMES``) takes that name instead of the drawn one."""
    name = random_name(ctx.rng)
    if User.objects.filter(username=username).exists():
        return
    last_name, first_name, patronymic = DEMO_ACCOUNT_NAMES.get(
        username, (name.last_name, name.first_name, name.patronymic)
    )
    services.user_create(
        actor=ctx.actor,
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        patronymic=patronymic,
        institutions=institutions,
        **fields,
    )


@step("accounts", "Demo accounts, one per role", order=20)
def load_accounts(ctx: DemoContext) -> None:
    institutions = dict(Institution.objects.values_list("code", "pk"))
    accounts = []
    for username, role, institution_code in DEMO_ACCOUNTS:
        _ensure_account(
            ctx,
            username,
            role,
            [institutions[institution_code]] if institution_code else [],
            password=DEMO_PASSWORD,
            email=f"{username}@demo.opora.local",
        )
        accounts.append(
            {"username": username, "password": DEMO_PASSWORD, "role": str(Role(role).label)}
        )
    ctx.shared["accounts"] = accounts


@step("staff", "Synthetic staff of the institutions", order=30)
def load_synthetic_staff(ctx: DemoContext) -> None:
    for code, pk in Institution.objects.order_by("code").values_list("code", "pk"):
        roles = next((r for prefix, r in SYNTHETIC_STAFF.items() if code.startswith(prefix)), [])
        for index, role in enumerate(roles, start=1):
            _ensure_account(ctx, f"{code[:40]}-{index}", role, [pk], password=None)
