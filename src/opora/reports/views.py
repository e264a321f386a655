from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from opora.cooperation.access import COOPERATION_VIEW
from opora.core.errors import DomainError
from opora.core.forms import form_page
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, chosen_tab, history_rows
from opora.institutions import selectors as institution_selectors

from . import selectors, services
from .access import FIGURES_MANAGE, FIGURES_VIEW
from .forms import FigureChangeForm, FigureFilterForm, FigureForm, RetireForm
from .models import PublishedFigure

TABS = [OVERVIEW, HISTORY]

COLUMNS = [
    Column("name", pgettext_lazy("figure", "Quantity"), "name"),
    Column("value", gettext_lazy("Value"), "value"),
    Column("unit", gettext_lazy("Unit"), "unit"),
    Column("as_of", gettext_lazy("As of"), "as_of"),
    Column("about", pgettext_lazy("figure is about", "About")),
    Column("source", gettext_lazy("Source"), "source_date"),
]


def _can_manage(request) -> bool:
    return has_permission(request.user, FIGURES_MANAGE)


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Published figures"), reverse("reports:figures")), *more]


def _figure_or_404(request, pk: int) -> PublishedFigure:
    try:
        return selectors.figure_get(actor=request.user, pk=pk)
    except DomainError:
        raise Http404 from None


def _detail_url(figure: PublishedFigure) -> str:
    return reverse("reports:figure", args=[figure.pk])


@require(FIGURES_VIEW)
def figure_list(request):
    form = FigureFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    figures = selectors.figure_list(
        actor=request.user,
        q=filters.get("q") or "",
        source=filters.get("source") or "",
        unit=filters.get("unit") or "",
        year=filters.get("year"),
        retired=bool(filters.get("retired")),
    )
    table = sorted_page(request, figures, COLUMNS, default_sort="-as_of")
    context = {
        "form": form,
        "table": table,
        "filtered": any(value not in (None, "", False) for value in filters.values()),
        "can_manage": _can_manage(request),
    }
    return render_page(request, "reports/figures/list.html", context, partial="results")


@require(FIGURES_VIEW)
def figure_detail(request, pk: int):
    figure = _figure_or_404(request, pk)
    tab = chosen_tab(request, TABS)
    context: dict[str, Any] = {
        "figure": figure,
        "tab": tab,
        "tabs": TABS,
        "can_manage": _can_manage(request),
        # Links only where the reader may open the page behind them; the names are public.
        "institution_linked": figure.institution_id is not None
        and institution_selectors.institution_list(actor=request.user)
        .filter(pk=figure.institution_id)
        .exists(),
        "partner_linked": figure.partner_id is not None
        and has_permission(request.user, COOPERATION_VIEW),
    }
    if tab == HISTORY.key:
        context["history"] = history_rows(figure)
    return render_page(request, "reports/figures/detail.html", context, partial="tab-body")


FIGURE_INTRO = gettext_lazy(
    "A figure as a text published it: the number with the text's own comparison, the date it "
    "is as of as precisely as the text gives it, and the source with the sentence it comes from."
)


@require(FIGURES_MANAGE)
def figure_add(request):
    return form_page(
        request,
        FigureForm(request.POST or None),
        lambda data: services.figure_create(actor=request.user, **data),
        saved=_("The figure is recorded."),
        title=_("New published figure"),
        crumbs=_crumbs(),
        done=_detail_url,
        intro=str(FIGURE_INTRO),
    )


@require(FIGURES_MANAGE)
def figure_edit(request, pk: int):
    figure = _figure_or_404(request, pk)
    if figure.is_retired:
        raise Http404
    initial = {name: getattr(figure, name) for name in services.FIGURE_CHANGEABLE}
    form = FigureChangeForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> PublishedFigure:
        data = dict(data)
        reason = data.pop("reason", "")
        return services.figure_update(actor=request.user, figure=figure, reason=reason, **data)

    return form_page(
        request,
        form,
        save,
        saved=_("The figure is corrected."),
        title=_("Correct the figure: %(figure)s") % {"figure": figure.display_name},
        crumbs=_crumbs((figure.display_name, _detail_url(figure))),
        done=_detail_url,
        intro=_(
            "Correct what was entered wrongly. A new value of the same quantity is a new figure "
            "as of its own date."
        ),
    )


@require(FIGURES_MANAGE)
def figure_retire(request, pk: int):
    figure = _figure_or_404(request, pk)
    if figure.is_retired:
        raise Http404
    return form_page(
        request,
        RetireForm(request.POST or None),
        lambda data: services.figure_retire(
            actor=request.user, figure=figure, reason=data["reason"]
        ),
        saved=_("The figure is retired."),
        title=_("Retire the figure: %(figure)s") % {"figure": figure.display_name},
        crumbs=_crumbs((figure.display_name, _detail_url(figure))),
        done=_detail_url,
        intro=_(
            "A retired figure is kept with its history and the reason, and left out of the lists "
            "and the dashboard."
        ),
    )
