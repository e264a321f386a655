"""Help in kind: the stock of an institution (what it holds of each kind of goods, the latest
movements) and the form pages of goods received, handed out under an in-kind assignment and
written off; a new kind of goods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.core.forms import form_page
from opora.core.permissions import require
from opora.core.rendering import render_page
from opora.institutions.models import Institution

from ..access import STOCK_MANAGE
from ..forms import DATE
from ..models import Assignment, GoodsKind, GoodsUnit
from ..selectors.goods import (
    goods_kinds,
    in_kind_assignments,
    stock_balances,
    stock_institutions,
    stock_movements,
)
from ..services.goods import goods_kind_create, stock_issue, stock_receive, stock_write_off

MOVEMENTS_SHOWN = 50


def _goods_url(institution: Institution) -> str:
    return f"{reverse('assistance:goods')}?institution={institution.pk}"


def _crumbs(institution: Institution) -> list[tuple[str, str]]:
    return [(_("Goods in kind"), _goods_url(institution))]


# --- Forms --------------------------------------------------------------------------------------


class MovementForm(forms.Form):
    goods = forms.ModelChoiceField(label=gettext_lazy("Goods"), queryset=GoodsKind.objects.none())
    quantity = forms.IntegerField(label=gettext_lazy("Quantity"), min_value=1)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["goods"].queryset = goods_kinds()  # type: ignore[attr-defined]


class WriteOffForm(MovementForm):
    note = forms.CharField(label=gettext_lazy("Why written off"), max_length=300)


class RecipientField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(person)s, %(measure)s (assignment № %(number)s)") % {
            "person": obj.person.full_name,
            "measure": obj.measure.display_name,
            "number": obj.pk,
        }


class IssueForm(MovementForm):
    assignment = RecipientField(label=gettext_lazy("Recipient"), queryset=Assignment.objects.none())
    field_order = ["assignment", "goods", "quantity", "on", "note"]

    def __init__(self, *args: Any, assignments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]


class GoodsKindForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=64)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name in English"), max_length=200, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=GoodsUnit.choices)


# --- Pages --------------------------------------------------------------------------------------


def _institution(request, pk: Any) -> Institution:
    institution = stock_institutions(actor=request.user).filter(pk=pk).first()
    if institution is None:
        raise Http404
    return institution


@require(STOCK_MANAGE)
def goods_page(request):
    institutions = list(stock_institutions(actor=request.user))
    chosen = request.GET.get("institution", "")
    institution = (
        _institution(request, chosen)
        if chosen.isdigit()
        else (institutions[0] if institutions else None)
    )
    context = {
        "institutions": institutions,
        "institution": institution,
        "balances": (
            list(stock_balances(actor=request.user, institution=institution)) if institution else []
        ),
        "movements": (
            list(stock_movements(actor=request.user, institution=institution)[:MOVEMENTS_SHOWN])
            if institution
            else []
        ),
    }
    return render_page(request, "assistance/goods/page.html", context)


@require(STOCK_MANAGE)
def goods_receive(request, institution: int):
    place = _institution(request, institution)
    return form_page(
        request,
        MovementForm(request.POST or None),
        lambda data: stock_receive(actor=request.user, institution=place, **data),
        title=_("Goods received at %(institution)s") % {"institution": place.display_name},
        crumbs=_crumbs(place),
        done=_goods_url(place),
        saved=_("The goods are added to the stock."),
    )


@require(STOCK_MANAGE)
def goods_issue(request, institution: int):
    place = _institution(request, institution)
    form = IssueForm(
        request.POST or None,
        assignments=in_kind_assignments(actor=request.user, institution=place),
        initial={"assignment": request.GET.get("assignment")},
    )
    return form_page(
        request,
        form,
        lambda data: stock_issue(actor=request.user, **data),
        title=_("Goods handed out at %(institution)s") % {"institution": place.display_name},
        crumbs=_crumbs(place),
        done=_goods_url(place),
        saved=_("The hand-out is recorded."),
    )


@require(STOCK_MANAGE)
def goods_write_off(request, institution: int):
    place = _institution(request, institution)
    return form_page(
        request,
        WriteOffForm(request.POST or None),
        lambda data: stock_write_off(actor=request.user, institution=place, **data),
        title=_("Goods written off at %(institution)s") % {"institution": place.display_name},
        crumbs=_crumbs(place),
        done=_goods_url(place),
        saved=_("The goods are written off."),
    )


@require(STOCK_MANAGE)
def goods_kind_new(request):
    return form_page(
        request,
        GoodsKindForm(request.POST or None),
        lambda data: goods_kind_create(actor=request.user, **data),
        title=_("A new kind of goods"),
        crumbs=[(_("Goods in kind"), reverse("assistance:goods"))],
        done=reverse("assistance:goods"),
        saved=_("The kind of goods is added."),
    )


urlpatterns = [
    path("goods/", goods_page, name="goods"),
    path("goods/kinds/new/", goods_kind_new, name="goods_kind_new"),
    path("goods/<int:institution>/receive/", goods_receive, name="goods_receive"),
    path("goods/<int:institution>/issue/", goods_issue, name="goods_issue"),
    path("goods/<int:institution>/write-off/", goods_write_off, name="goods_write_off"),
]
