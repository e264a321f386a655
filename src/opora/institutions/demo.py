from opora.demo.facts import INSTITUTIONS
from opora.demo.registry import DemoContext, step

from . import services
from .models import Institution


@step("institutions", "Institutions named in the seeds", order=10)
def load_institutions(ctx: DemoContext) -> None:
    existing = set(Institution.objects.values_list("code", flat=True))
    for fact in INSTITUTIONS:
        if fact["code"] in existing:
            continue
        services.institution_create(
            actor=ctx.actor,
            code=fact["code"],
            name=fact["name"],
            name_en=fact.get("name_en", ""),
            short_name=fact.get("short_name", ""),
        )
