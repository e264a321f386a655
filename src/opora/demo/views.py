from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.jobs import job_start
from opora.core.permissions import require

from .access import DEMO_LOAD
from .loading import ensure_allowed


@require(DEMO_LOAD)
@require_POST
def start_demo_load(request):
    try:
        ensure_allowed()
        job = job_start(actor=request.user, kind="demo.load", params={})
    except DomainError as exc:
        messages.warning(request, exc.message)
        running = exc.details.get("job")
        return redirect("core:job", pk=running[0]) if running else redirect("core:dashboard")
    messages.info(request, _("The demo data is loading in the background."))
    return redirect("core:job", pk=job.pk)
