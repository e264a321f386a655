"""The published figures of the seeds (``opora.demo.data.figures``), recorded through the
reports' services with the institution or partner each is about. A figure is keyed by its code
and date, so loading twice adds nothing; the institutions and partners come from the earlier
steps, and a figure whose institution or partner is missing is recorded without it."""

from __future__ import annotations

from django.db import transaction

from opora.cooperation.models import Partner
from opora.core.actors import SYSTEM, Actor
from opora.demo.data.figures import SEED_FIGURES
from opora.demo.loading import DemoContext, step
from opora.institutions.models import Institution
from opora.reports import services
from opora.reports.models import PublishedFigure, SourceKind, truncated


def load_figures(actor: Actor = SYSTEM) -> int:
    """Record every seed figure not yet recorded; returns how many were added."""
    existing = set(PublishedFigure.objects.values_list("code", "as_of"))
    institutions = {
        i.code: i
        for i in Institution.objects.filter(code__in={f.institution for f in SEED_FIGURES})
    }
    partners = {
        p.code: p for p in Partner.objects.filter(code__in={f.partner for f in SEED_FIGURES})
    }
    added = 0
    with transaction.atomic():
        for fact in SEED_FIGURES:
            if (fact.code, truncated(fact.as_of, fact.precision)) in existing:
                continue
            services.figure_create(
                actor=actor,
                code=fact.code,
                name=fact.name,
                name_en=fact.name_en,
                value=fact.value,
                unit=fact.unit,
                qualifier=fact.qualifier,
                as_of=fact.as_of,
                as_of_end=fact.as_of_end,
                as_of_precision=fact.precision,
                source_kind=SourceKind.SEED,
                source_document=fact.source.file,
                source_title=fact.source.title,
                source_publisher=fact.source.publisher,
                source_date=fact.source.date,
                quotation=fact.quotation,
                institution=institutions.get(fact.institution),
                partner=partners.get(fact.partner),
                note=fact.note,
                is_example=fact.is_example,
                example_note=fact.example_note,
            )
            added += 1
    return added


@step("reports", "Published figures of the seeds with their sources", order=80)
def load_demo_figures(ctx: DemoContext) -> None:
    added = load_figures(ctx.actor)
    ctx.log(f"Published figures: {added} new")
