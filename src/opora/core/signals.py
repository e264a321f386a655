from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from . import audit
from .audit_actions import USER_LOGGED_IN
from .net import client_ip


@receiver(user_logged_in, dispatch_uid="opora.core.audit_login")
def audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        audit.record(
            actor=user,
            action=USER_LOGGED_IN,
            obj=user,
            data={"ip": client_ip(request)},
        )
