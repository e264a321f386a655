from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opora.core.permissions import has_permission
from opora.core.registry import (
    NavItem,
    SearchHit,
    SearchProvider,
    Widget,
    add_nav,
    add_search_provider,
    add_widget,
)

from . import selectors
from .access import INSTITUTION_VIEW, STAFF_STATISTICS, STAFF_VIEW

add_nav(NavItem("institutions", _("Institutions"), "institutions:list", INSTITUTION_VIEW, order=20))
add_nav(NavItem("staff", _("Staff"), "institutions:staff", STAFF_VIEW, order=21))
add_nav(NavItem("districts", _("Districts"), "institutions:districts", INSTITUTION_VIEW, order=22))


def _search(actor, query, limit):
    qs = selectors.institution_list(actor=actor, q=query)[:limit]
    return [
        SearchHit(
            title=str(i),
            url=reverse("institutions:detail", args=[i.pk]),
            kind=_("Institution"),
            detail=i.address,
        )
        for i in qs
    ]


def _search_staff(actor, query, limit):
    qs = selectors.employee_list(actor=actor, q=query)[:limit]
    return [
        SearchHit(
            title=employee.full_name,
            url=reverse("institutions:employee", args=[employee.pk]),
            kind=_("Employee"),
            detail=", ".join(str(e.position) for e in employee.current_employments),
        )
        for employee in qs
    ]


add_search_provider(
    SearchProvider("institutions", _("Institutions"), INSTITUTION_VIEW, _search, 50)
)
add_search_provider(SearchProvider("staff", _("Staff"), STAFF_VIEW, _search_staff, 55))


def _my_institutions(request):
    qs = selectors.institution_list(actor=request.user)
    return {"institutions": list(qs.order_by("name")[:6]), "institution_count": qs.count()}


def _staff_figures(request):
    return {
        "counts": selectors.staff_counts(actor=request.user),
        "can_see_staff": has_permission(request.user, STAFF_VIEW),
    }


add_widget(
    Widget(
        "institutions",
        _("Institutions"),
        "institutions/widget.html",
        INSTITUTION_VIEW,
        _my_institutions,
        order=20,
    )
)
add_widget(
    Widget(
        "staff",
        _("Staff"),
        "institutions/widgets/staff.html",
        STAFF_STATISTICS,
        _staff_figures,
        order=21,
    )
)
