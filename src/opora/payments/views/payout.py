"""The payout details of a person: the form that records new ones."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import require

from .. import selectors, services
from ..access import PAYOUT_EDIT
from ..forms import PayoutDetailsForm


@require(PAYOUT_EDIT)
def payout_new(request, person_pk: int):
    person = selectors.payout_person_get(actor=request.user, pk=person_pk)
    form = PayoutDetailsForm(request.POST or None)
    person_url = reverse("registry:person", args=[person.pk])

    def save(data):
        return services.payout_details_record(actor=request.user, person=person, **data)

    return form_page(
        request,
        form,
        save,
        title=_("Payout details of %(name)s") % {"name": person.full_name},
        crumbs=[(person.full_name, person_url)],
        done=person_url,
        saved=_("The payout details are recorded."),
        intro=_(
            "A bank account (BIK and the 20-digit account) or the post office (index and "
            "address). The details in force end the day before the new ones start."
        ),
    )


urlpatterns = [path("people/<int:person_pk>/payout/", payout_new, name="payout_new")]
