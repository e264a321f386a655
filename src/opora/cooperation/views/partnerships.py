"""A partnership relation of a partner, added from the partner's page."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _

from opora.core.forms import form_page
from opora.core.permissions import require

from .. import selectors, services
from ..access import COOPERATION_MANAGE
from ..forms import PartnershipForm
from .partners import partner_crumbs, partner_url


@require(COOPERATION_MANAGE)
def partnership_add(request, pk: int):
    partner = selectors.partner_get(actor=request.user, pk=pk)
    form = PartnershipForm(request.POST or None)

    def save(data):
        return services.partnership_add(
            actor=request.user,
            partner=partner,
            kind=data["kind"],
            since=data["since"],
            since_precision=data["since_precision"],
            ended_on=data["ended_on"],
            **form.translations(data),
        )

    return form_page(
        request,
        form,
        save,
        title=_("A partnership with %(name)s") % {"name": partner},
        crumbs=partner_crumbs(partner),
        done=partner_url(partner),
        saved=_("The partnership is recorded."),
    )


urlpatterns = [
    path("partners/<int:pk>/partnerships/add/", partnership_add, name="partnership_add"),
]
