from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opora.core.audit import sentence
from opora.core.permissions import require
from opora.core.rendering import render_page
from opora.core.selectors import audit_for_object
from opora.core.tables import Column, sorted_page

from . import selectors
from .access import INSTITUTION_VIEW

COLUMNS = [
    Column("name", _("Name"), "name"),
    Column("code", _("Code"), "code"),
    Column("members", _("Staff accounts"), "member_count"),
    Column("status", _("Status"), "is_active"),
]


@require(INSTITUTION_VIEW)
def institution_list(request):
    query = request.GET.get("q", "").strip()[:200]
    table = sorted_page(
        request,
        selectors.institution_list(actor=request.user, q=query),
        COLUMNS,
        default_sort="name",
    )
    return render_page(
        request, "institutions/list.html", {"table": table, "query": query}, partial="results"
    )


@require(INSTITUTION_VIEW)
def institution_detail(request, pk: int):
    institution = selectors.institution_get(actor=request.user, pk=pk)
    tab = request.GET.get("tab", "overview")
    context = {"institution": institution, "tab": tab}
    if tab == "history":
        context["history"] = [
            {"entry": e, "sentence": sentence(e)} for e in audit_for_object(obj=institution)[:200]
        ]
    return render_page(request, "institutions/detail.html", context, partial="tab-body")
