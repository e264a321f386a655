from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.core.permissions import require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.core.tabs import HISTORY, OVERVIEW, chosen_tab, history_rows

from . import selectors
from .access import INSTITUTION_VIEW

COLUMNS = [
    Column("name", _("Name"), "name"),
    Column("code", _("Code"), "code"),
    Column("members", _("Staff accounts"), "member_count"),
    Column("status", _("Status"), "is_active"),
]


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)
    active = forms.TypedChoiceField(
        label=_("Status"),
        required=False,
        empty_value=None,
        coerce=lambda value: value == "1",
        choices=[("", _("Any")), ("1", _("Open")), ("0", _("Closed"))],
    )


@require(INSTITUTION_VIEW)
def institution_list(request):
    form = InstitutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    institutions = selectors.institution_list(
        actor=request.user, q=filters.get("q", "").strip(), active=filters.get("active")
    )
    table = sorted_page(request, institutions, COLUMNS, default_sort="name")
    return render_page(
        request, "institutions/list.html", {"table": table, "form": form}, partial="results"
    )


TABS = [OVERVIEW, HISTORY]


@require(INSTITUTION_VIEW)
def institution_detail(request, pk: int):
    institution = selectors.institution_get(actor=request.user, pk=pk)
    tab = chosen_tab(request, TABS)
    context = {"institution": institution, "tab": tab, "tabs": TABS}
    if tab == HISTORY.key:
        context["history"] = history_rows(institution)
    return render_page(request, "institutions/detail.html", context, partial="tab-body")
