"""``opora manage synth``: write a synthetic population as CSV files (see opora.demo.population)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opora.core.terminal import progress_bar
from opora.demo import population as synth


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share < 0.5:
        raise ValueError(value)
    return share


class Command(BaseCommand):
    help = (
        "Write a synthetic population of Moscow (people, households, categories, incomes and "
        "the truth about the injected duplicates) as CSV files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, required=True, help="records in people.csv, duplicates included"
        )
        parser.add_argument(
            "--out", type=Path, default=None, help="directory (default: <var>/synth/<people>)"
        )
        parser.add_argument("--seed", type=int, default=1, help="the same seed, the same files")
        parser.add_argument(
            "--duplicates",
            type=_share,
            default=0.02,
            metavar="SHARE",
            help="share of records that duplicate another person (default 0.02)",
        )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the day ages and incomes are counted to (default today)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="processes generating chunks (default: the CPUs, at most 4)",
        )
        parser.add_argument(
            "--districts", default="", help="comma-separated district codes (default all)"
        )

    def handle(self, *, people, out, seed, duplicates, as_of, workers, districts, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        codes = [c.strip() for c in districts.split(",") if c.strip()] or None
        unknown = sorted(set(codes or ()) - set(synth.DISTRICTS_BY_CODE))
        if unknown:
            raise CommandError(f"Unknown districts: {', '.join(unknown)}.")
        out = out or Path(settings.VAR_DIR) / "synth" / str(people)
        verbosity = options["verbosity"]
        with progress_bar(
            "Synthetic population", stream=self.stderr._out, unit="person", enabled=verbosity > 0
        ) as progress:
            summary = synth.write_csv(
                out,
                people,
                seed=seed,
                duplicate_share=duplicates,
                as_of=as_of,
                districts=codes,
                workers=max(1, workers),
                progress=progress,
            )
        if verbosity > 0:
            rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {summary.out_dir} in {summary.seconds:.1f} s "
                    f"(seed {seed}, as of {summary.as_of:%d.%m.%Y}): {rows}."
                )
            )
