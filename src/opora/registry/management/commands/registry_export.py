"""opora manage registry_export --entity people|households|categories|incomes
[--format csv|xlsx] [--output FILE] [--user USERNAME]

The same files as the export page, in the columns the import reads. As the system (the
default) every current record is exported with SNILS in full; with --user, that account's
scope and masking apply. CSV goes to standard output unless --output is given.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opora.core import audit
from opora.core.actors import SYSTEM, Actor
from opora.core.errors import DomainError
from opora.core.models import User
from opora.registry.imports import export as exporting
from opora.registry.imports import services
from opora.registry.models import ImportEntity


class Command(BaseCommand):
    help = "Export people, households, categories or incomes as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--entity", required=True, choices=ImportEntity.values)
        parser.add_argument("--format", default="csv", choices=exporting.FORMATS)
        parser.add_argument("--output", metavar="FILE", help="Where to write (CSV: stdout).")
        parser.add_argument(
            "--user", metavar="USERNAME", help="Export as this account (its scope and masking)."
        )

    def handle(self, *args, **options):
        actor: Actor = SYSTEM
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account {options['user']!r}.")
        file_format, output = options["format"], options["output"]
        if file_format == "xlsx" and not output:
            raise CommandError("An XLSX export needs --output FILE.")
        token = audit.current_source.set("cli")
        try:
            services.require_import(actor)
            rows = exporting.export_rows(actor=actor, entity=options["entity"])
            if file_format == "xlsx":
                with exporting.write_xlsx(rows) as source, open(output, "wb") as target:
                    shutil.copyfileobj(source, target)
            elif output:
                with open(Path(output), "wb") as target:
                    for chunk in exporting.csv_chunks(rows):
                        target.write(chunk)
            else:
                stream = getattr(self.stdout._out, "buffer", None) or sys.stdout.buffer
                for chunk in exporting.csv_chunks(rows):
                    stream.write(chunk)
                stream.flush()
            # Audited once the file is written: an export that failed handed out nothing.
            services.export_record(actor=actor, entity=options["entity"], file_format=file_format)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        finally:
            audit.current_source.reset(token)
