from django.utils.translation import gettext_lazy as _

from . import access, selectors
from .audit import sentence
from .jobs import kind_label
from .registry import NavItem, Widget, add_nav, add_widget

add_nav(NavItem("dashboard", _("Dashboard"), "core:dashboard", access.DASHBOARD_VIEW, order=0))
add_nav(NavItem("jobs", _("Background jobs"), "core:jobs", access.OWN_JOBS_VIEW, order=80))
add_nav(NavItem("users", _("Accounts"), "core:users", access.USERS_MANAGE, order=85))
add_nav(NavItem("audit", _("Audit log"), "core:audit", access.AUDIT_SEARCH, order=90))
add_nav(NavItem("admin", _("Administration"), "admin:index", access.USERS_MANAGE, order=99))


def _activity(request):
    entries = selectors.recent_activity(actor=request.user)
    return {"entries": [{"entry": e, "sentence": sentence(e)} for e in entries]}


def _jobs(request):
    jobs = selectors.job_list(actor=request.user)[:5]
    return {"jobs": [{"job": j, "label": kind_label(j.kind)} for j in jobs]}


def _status(request):
    return {"health": selectors.health()}


add_widget(
    Widget(
        "activity",
        _("Recent activity"),
        "core/widgets/activity.html",
        access.DASHBOARD_VIEW,
        _activity,
        order=90,
        wide=True,
    )
)
add_widget(
    Widget(
        "jobs",
        _("Background jobs"),
        "core/widgets/jobs.html",
        access.OWN_JOBS_VIEW,
        _jobs,
        order=80,
    )
)
add_widget(
    Widget(
        "status",
        _("System status"),
        "core/widgets/status.html",
        access.ALL_JOBS_VIEW,
        _status,
        order=5,
    )
)
