"""opora manage registry_dedup [--threshold P] [--truth truth.csv] [--train | --no-train]

The search for duplicates the administrators' button starts, run in this process with a
progress bar. Prints a JSON summary; with --truth (columns duplicate_key, original_key: external
keys of the records) it also prints the precision and recall of the pairs found.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.core import audit
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.terminal import progress_bar
from opora.registry.dedup import services


class Command(BaseCommand):
    help = "Search the whole registry for duplicate records (Splink) and list the pairs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            type=float,
            default=services.DEFAULT_THRESHOLD,
            help="the least match probability of a pair to review (default %(default)s)",
        )
        parser.add_argument(
            "--truth",
            type=Path,
            default=None,
            help="CSV with duplicate_key, original_key: report precision and recall",
        )
        training = parser.add_mutually_exclusive_group()
        training.add_argument(
            "--train",
            dest="train",
            action="store_true",
            default=None,
            help="estimate the model's parameters even on a small registry",
        )
        training.add_argument(
            "--no-train",
            dest="train",
            action="store_false",
            help="use the fixed priors only",
        )

    def handle(self, *args, threshold: float, truth: Path | None, train: bool | None, **options):
        if truth is not None and not truth.is_file():
            raise CommandError(f"No such file: {truth}")
        token = audit.current_source.set("cli")
        try:
            with progress_bar(
                "Duplicates",
                stream=self.stderr._out,
                unit="‰",
                enabled=options["verbosity"] > 0,
            ) as progress:
                summary = services.dedup_run_here(
                    actor=SYSTEM, threshold=threshold, progress=progress, train=train, truth=truth
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            audit.current_source.reset(token)
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
