"""opora manage registry_import FILE --entity people|households|categories|incomes
[--mode all_or_nothing|valid_only] [--institution CODE] [--mapping column=field ...]
[--user USERNAME]

The same import as the upload page, run in this process with a progress bar. Problems are
written next to the file as <name>.errors.csv; a rejected or failed import exits with status 1.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.core import audit
from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.core.models import User
from opora.core.terminal import progress_bar
from opora.institutions.models import Institution
from opora.registry.imports import selectors, services
from opora.registry.imports.reading import FileRejected
from opora.registry.models import ImportEntity, ImportMode, ImportStatus


class Command(BaseCommand):
    help = "Import people, households, categories or incomes from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument(
            "--entity", required=True, choices=ImportEntity.values, help="What the file holds."
        )
        parser.add_argument(
            "--mode",
            default=ImportMode.ALL_OR_NOTHING,
            choices=ImportMode.values,
            help="all_or_nothing (default): any problem rejects the file; "
            "valid_only: load the valid rows, report the others.",
        )
        parser.add_argument(
            "--institution", metavar="CODE", help="Link every imported person to this institution."
        )
        parser.add_argument(
            "--mapping",
            nargs="*",
            default=[],
            metavar="COLUMN=FIELD",
            help="Which column holds which field, where the header's names "
            "do not say it (e.g. Фамилия=last_name).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this account (its permissions and institutions); "
            "by default as the system.",
        )
        parser.add_argument(
            "--strategy",
            choices=["postgres", "portable"],
            help="Force a loader (default: COPY on PostgreSQL, else portable).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = self._actor(options["user"])
        institution = None
        if options["institution"]:
            institution = Institution.objects.filter(code=options["institution"]).first()
            if institution is None:
                raise CommandError(f"No institution has the code {options['institution']!r}.")
        token = audit.current_source.set("cli")
        try:
            batch = self._upload(path, actor, institution, options)
            mapping = dict(batch.mapping)
            for item in options["mapping"]:
                column, sep, field = item.rpartition("=")
                if not sep or not field:
                    raise CommandError(f"Give the mapping as COLUMN=FIELD, not {item!r}.")
                mapping = {k: v for k, v in mapping.items() if v != column}
                mapping[field] = column
            try:
                batch = services.import_set_mapping(actor=actor, batch=batch, mapping=mapping)
            except DomainError as exc:
                raise CommandError(self._describe(exc)) from exc
            verbose = options["verbosity"] > 0
            with progress_bar(
                f"Import {path.name}", stream=self.stderr._out, unit="‰", enabled=verbose
            ) as progress:
                try:
                    result = services.import_run(
                        actor=actor, batch=batch, progress=progress, strategy=options["strategy"]
                    )
                except DomainError as exc:
                    raise CommandError(self._describe(exc)) from exc
                except Exception as exc:
                    raise CommandError(f"The import failed: {exc}") from exc
        finally:
            audit.current_source.reset(token)
        batch.refresh_from_db()
        report = self._write_problems(path, batch)
        summary = (
            f"{batch.get_status_display()}: {result['rows']} rows; "
            f"{result['inserted']} new, {result['updated']} changed, "
            f"{result['unchanged']} unchanged; {result['error_rows']} with problems."
        )
        if report:
            summary += f" Problems: {report}"
        if batch.status != ImportStatus.LOADED:
            raise CommandError(summary)
        self.stdout.write(summary)

    def _actor(self, username: str | None):
        if not username:
            return SYSTEM
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account {username!r}.")
        return actor

    def _upload(self, path: Path, actor, institution, options):
        try:
            with open(path, "rb") as handle:
                return services.import_upload(
                    actor=actor,
                    file=handle,
                    original_name=path.name,
                    entity=options["entity"],
                    mode=options["mode"],
                    institution=institution,
                    size=path.stat().st_size,
                )
        except FileRejected as exc:
            report = problems_path(path)
            with open(report, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out, delimiter=";")
                writer.writerow(["row", "column", "value", "message"])
                writer.writerow([exc.row, "", "", str(exc.message)])
            raise CommandError(f"{exc.message} Problems: {report}") from exc
        except DomainError as exc:
            raise CommandError(self._describe(exc)) from exc

    @staticmethod
    def _describe(exc: DomainError) -> str:
        details = "; ".join(
            f"{k}: {' '.join(map(str, v))}" for k, v in exc.details.items() if isinstance(v, list)
        )
        return f"{exc.message} {details}".strip()

    @staticmethod
    def _write_problems(path: Path, batch) -> Path | None:
        if not batch.error_rows:
            return None
        report = problems_path(path)
        with open(report, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(["row", "column", "value", "message"])
            writer.writerows(selectors.issue_rows(batch=batch))
        return report


def problems_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.errors.csv")
