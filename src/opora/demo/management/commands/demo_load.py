from django.core.management.base import BaseCommand, CommandError

from opora.core.errors import DomainError
from opora.core.terminal import progress_bar
from opora.demo.loading import DemoContext, load


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *, quiet_logins: bool, **options):
        with progress_bar(
            "Demo data", stream=self.stderr._out, unit="step", enabled=options["verbosity"] > 0
        ) as progress:
            try:
                result = load(DemoContext(progress=progress))
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS("\nDemo logins (for trying Opora only):"))
        width = max(len(a["username"]) for a in result["accounts"])
        for account in result["accounts"]:
            self.stdout.write(
                f"  {account['username']:<{width}}  {account['password']}  {account['role']}"
            )
