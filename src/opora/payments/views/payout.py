"""The payout details of a person: the form that records new ones."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import require
from opora.registry.models import Person

from .. import selectors, services
from ..access import PAYOUT_EDIT
from ..forms import PayoutDetailsForm
from .common import may_open_person


def _back(request, person: Person) -> tuple[str, str]:
    """Where the form comes from and leads back to: the person's page for whoever may open it;
    the department's accountants, who may not, record the details from the worklist of returned
    payments, so they go back there and read the name in the title."""
    if may_open_person(request.user):
        return person.full_name, reverse("registry:person", args=[person.pk])
    return _("Returned payments"), reverse("payments:worklist")


@require(PAYOUT_EDIT)
def payout_new(request, person_pk: int):
    person = selectors.payout_person_get(actor=request.user, pk=person_pk)
    form = PayoutDetailsForm(request.POST or None)
    back_label, back_url = _back(request, person)

    def save(data):
        return services.payout_details_record(actor=request.user, person=person, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Payout details of %(name)s") % {"name": person.full_name},
        crumbs=[(back_label, back_url)],
        done=back_url,
        saved=_("The payout details are recorded."),
        intro=_(
            "A bank account (BIK and the 20-digit account) or the post office (index and "
            "address). The details in force end the day before the new ones start."
        ),
    )


urlpatterns = [path("people/<int:person_pk>/payout/", payout_new, name="payout_new")]
