from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opora.core import services
from opora.core.actors import SYSTEM
from opora.core.audit import current_source
from opora.core.errors import DomainError
from opora.core.models import User


class Command(BaseCommand):
    help = "Issue an API token for an account (usually a service account). The key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account named {username!r}.")
        token = current_source.set("cli")
        try:
            with transaction.atomic():
                record, key = services.api_token_issue(actor=SYSTEM, user=user, name=name)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        finally:
            current_source.reset(token)
        self.stdout.write(f"Token {record.prefix} for {username}: {key}")
        self.stdout.write("Keep it now: only its hash is stored.")
