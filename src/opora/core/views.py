from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, jobs, selectors, services
from .accessibility import CHOICES, LABELS, AccessibilityPrefs
from .audit import action_label, declared_actions, sentence
from .errors import DomainError
from .jobs import kind_label
from .permissions import PUBLIC, has_permission, require
from .registry import search_providers_for, widgets_for
from .rendering import render_page
from .tables import Column, sorted_page

login_view = require(PUBLIC)(
    auth_views.LoginView.as_view(
        template_name="core/auth/login.html", redirect_authenticated_user=True
    )
)
logout_view = require(PUBLIC)(auth_views.LogoutView.as_view())


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require(access.DASHBOARD_VIEW)
def dashboard(request):
    widgets = []
    for widget in widgets_for(request.user):
        widgets.append({"widget": widget, **widget.context(request)})
    return render_page(request, "core/dashboard.html", {"widgets": widgets})


@require(access.SEARCH)
def search(request):
    # A NUL cannot be stored or compared by PostgreSQL; it is no part of a name anyway.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    groups = []
    if len(query) >= 2:
        for provider in search_providers_for(request.user):
            hits = provider.search(request.user, query, 10)
            if hits:
                groups.append({"provider": provider, "hits": hits})
    return render_page(
        request, "core/search.html", {"query": query, "groups": groups}, partial="search-results"
    )


class ActionField(forms.ChoiceField):
    """One action, or every action whose code begins with the value ("institutions.",
    "institutions.institution"): the list offers sections and actions in words, a link may
    narrow by any part of a code."""

    def valid_value(self, value: str) -> bool:
        return super().valid_value(value) or any(
            code.startswith(value) for code in declared_actions()
        )


class AuditFilterForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Object or reason"), required=False, max_length=200)
    actor = forms.TypedChoiceField(
        label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None
    )
    action = ActionField(label=gettext_lazy("Action"), required=False)
    object_type = forms.ChoiceField(label=gettext_lazy("Kind of object"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone"))] + [
            (u.pk, u.display_name) for u in selectors.audit_actors()
        ]
        self.fields["object_type"].choices = [("", _("Any")), *selectors.audit_object_types()]
        self.fields["action"].choices = [("", _("Any action")), *action_choices()]


def _object_label(prefix: str) -> str | None:
    """ "Every action on institutions" for "institutions.institution", when a model has
    that name."""
    try:
        model = apps.get_model(prefix)
    except (LookupError, ValueError):
        return None
    return _("Every action on: %(objects)s") % {"objects": model._meta.verbose_name_plural}


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The declared actions by section (the app's name), each section led by "every action of
    it" and of each of its kinds of object (prefixes the search matches), all in the reader's
    words rather than codes."""
    sections: dict[str, list[str]] = {}
    for code in declared_actions():
        sections.setdefault(code.split(".", 1)[0], []).append(code)
    choices = []
    for app_label, codes in sections.items():
        try:
            section = str(apps.get_app_config(app_label).verbose_name)
        except LookupError:  # an action declared outside an app
            section = app_label
        prefixes = sorted({code.rsplit(".", 1)[0] for code in codes})
        objects = [(p, label) for p in prefixes if (label := _object_label(p)) is not None]
        labelled = sorted((action_label(code), code) for code in codes)
        choices.append(
            (
                section,
                [
                    (f"{app_label}.", _("Every action: %(section)s") % {"section": section}),
                    *objects,
                    *((code, label) for label, code in labelled),
                ],
            )
        )
    return sorted(choices)


AUDIT_COLUMNS = [
    Column("at", gettext_lazy("Time"), "at"),
    Column("actor", gettext_lazy("Who"), "actor_name"),
    Column("sentence", gettext_lazy("What happened")),
    Column("action", gettext_lazy("Action code"), "action"),
    Column("source", gettext_lazy("Source"), "source"),
]


@require(access.AUDIT_SEARCH)
def audit_search(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_search(
        actor=request.user,
        text=filters.get("text", ""),
        actor_id=filters.get("actor"),
        action=filters.get("action", ""),
        object_type=filters.get("object_type", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    table = sorted_page(request, entries, AUDIT_COLUMNS, default_sort="-at", per_page=50)
    rows = [{"entry": e, "sentence": sentence(e)} for e in table.rows]
    return render_page(
        request,
        "core/audit/search.html",
        {"form": form, "table": table, "rows": rows},
        partial="results",
    )


@require(PUBLIC)
def accessibility(request):
    """The panel of the version for the visually impaired. Works without JavaScript: each choice
    is a small form posting one setting."""
    prefs: AccessibilityPrefs = request.a11y
    if request.method == "POST":
        command = request.POST.get("command", "")
        if command == "enable":
            prefs = (
                prefs.updated(enabled=True)
                if prefs.enabled
                else AccessibilityPrefs.vision_defaults()
            )
        elif command == "disable":
            prefs = prefs.updated(enabled=False)
        elif command == "reset":
            prefs = AccessibilityPrefs.vision_defaults()
        else:
            chosen = {k: v for k, v in request.POST.items() if k in CHOICES and v in CHOICES[k]}
            prefs = prefs.updated(enabled=True, **chosen)
        if request.user.is_authenticated:
            services.preferences_update(actor=request.user, accessibility=prefs)
        request.a11y = prefs  # the middleware writes the cookie from this
        return HttpResponseRedirect(_safe_next(request, reverse("core:accessibility")))
    options = [
        {
            "key": key,
            "label": LABELS[key],
            "choices": list(values.items()),
            "current": getattr(prefs, key),
        }
        for key, values in CHOICES.items()
    ]
    return render_page(request, "core/accessibility.html", {"options": options})


@require(PUBLIC)
@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    target = _safe_next(request, reverse("core:dashboard"))
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("This language is not available."))
        return response
    if request.user.is_authenticated:
        services.preferences_update(actor=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


JOB_COLUMNS = [
    Column("created_at", gettext_lazy("Started"), "created_at"),
    Column("kind", gettext_lazy("Job"), "kind"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("progress", gettext_lazy("Progress")),
    Column("created_by", gettext_lazy("Started by"), "created_by__username"),
]


@require(access.OWN_JOBS_VIEW)
def job_list(request):
    table = sorted_page(
        request, selectors.job_list(actor=request.user), JOB_COLUMNS, default_sort="-created_at"
    )
    rows = [{"job": job, "label": kind_label(job.kind)} for job in table.rows]
    return render_page(
        request, "core/jobs/list.html", {"table": table, "rows": rows}, partial="results"
    )


@require(access.JOBS_MANAGE)
@require_POST
def job_abandon(request, pk):
    job = selectors.job_get(actor=request.user, pk=pk)
    try:
        jobs.job_abandon(actor=request.user, job=job, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The job was stopped."))
    return HttpResponseRedirect(reverse("core:job", args=[job.pk]))


@require(access.OWN_JOBS_VIEW)
def job_detail(request, pk):
    job = selectors.job_get(actor=request.user, pk=pk)
    return render_page(
        request,
        "core/jobs/detail.html",
        {
            "job": job,
            "label": kind_label(job.kind),
            "can_abandon": has_permission(request.user, access.JOBS_MANAGE),
        },
        partial="job-progress",
    )
