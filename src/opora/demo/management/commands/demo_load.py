from django.core.management.base import BaseCommand
from tqdm import tqdm

from opora.demo.registry import DemoContext, load


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=2000, help="Size of the synthetic population."
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *, people: int, quiet_logins: bool, **options):
        with tqdm(
            total=1,
            unit="step",
            desc="Demo data",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        ) as bar:

            def progress(done: int, total: int, message: str = "") -> None:
                bar.total = total
                bar.n = done
                bar.set_postfix_str(message[:40])
                bar.refresh()

            result = load(DemoContext(people=people, progress=progress))
        if quiet_logins:
            return
        self.stdout.write(self.style.SUCCESS("\nDemo logins (for trying Opora only):"))
        width = max(len(a["username"]) for a in result["accounts"])
        for account in result["accounts"]:
            self.stdout.write(
                f"  {account['username']:<{width}}  {account['password']}  {account['role']}"
            )
