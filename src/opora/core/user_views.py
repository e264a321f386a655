"""Account management for administrators: every write goes through core.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access, selectors, services
from .errors import DomainError
from .forms import apply_domain_error
from .models import ApiToken, User
from .permissions import require
from .rendering import render_page
from .roles import Role
from .tables import Column, sorted_page
from .tabs import HISTORY, OVERVIEW, Tab, chosen_tab, history_rows


class UserFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name, user name or email"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)
    active = forms.TypedChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        empty_value=None,
        coerce=lambda v: v == "1",
        choices=[
            ("", gettext_lazy("Any")),
            ("1", gettext_lazy("Active")),
            ("0", gettext_lazy("Deactivated")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any role")), *Role.choices]


class UserForm(forms.Form):
    username = forms.SlugField(label=gettext_lazy("User name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Surname"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    patronymic = forms.CharField(label=gettext_lazy("Patronymic"), max_length=150, required=False)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    institutions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Institutions"),
        required=False,
        # Through the account's own relation: core does not import the institutions app.
        queryset=User.institutions.field.related_model._default_manager.order_by(
            "-is_active", "name"
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("Staff see the people and cases of these institutions."),
    )
    password = forms.CharField(
        label=gettext_lazy("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Leave empty for an account that signs in with a token only."),
    )


USER_TABS: list[Tab] = [OVERVIEW, HISTORY]

COLUMNS = [
    Column("name", gettext_lazy("Full name"), "last_name"),
    Column("username", gettext_lazy("User name"), "username"),
    Column("role", gettext_lazy("Role"), "role"),
    Column("institutions", gettext_lazy("Institutions")),
    Column("last_login", gettext_lazy("Last sign-in"), "last_login"),
    Column("status", gettext_lazy("Status"), "is_active"),
]


@require(access.USERS_MANAGE)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        actor=request.user,
        q=filters.get("q", ""),
        role=filters.get("role", ""),
        active=filters.get("active"),
    )
    table = sorted_page(request, users, COLUMNS, default_sort="name")
    return render_page(
        request, "core/users/list.html", {"form": form, "table": table}, partial="results"
    )


def _save(request, form, user=None):
    data = dict(form.cleaned_data)
    password = data.pop("password", "")
    try:
        if user is None:
            return services.user_create(actor=request.user, password=password or None, **data)
        user = services.user_update(actor=request.user, user=user, **data)
        if password:
            services.user_set_password(actor=request.user, user=user, password=password)
        return user
    except DomainError as error:
        apply_domain_error(form, error)
        return None


@require(access.USERS_MANAGE)
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _save(request, form)
        if user is not None:
            messages.success(request, _("The account %(name)s was created.") % {"name": user})
            return redirect("core:user", pk=user.pk)
    return render_page(request, "core/users/form.html", {"form": form, "account": None})


@require(access.USERS_MANAGE)
def user_edit(request, pk: int):
    account = selectors.user_get(actor=request.user, pk=pk)
    initial = {
        name: getattr(account, name)
        for name in ("username", "last_name", "first_name", "patronymic", "email", "role")
    }
    initial["institutions"] = list(account.institutions.all())
    form = UserForm(request.POST or None, initial=initial)
    form.fields["password"].label = _("New password")
    form.fields["password"].help_text = _("Leave empty to keep the current password.")
    if request.method == "POST" and form.is_valid() and _save(request, form, account):
        messages.success(request, _("The changes were saved."))
        return redirect("core:user", pk=account.pk)
    return render_page(request, "core/users/form.html", {"form": form, "account": account})


@require(access.USERS_MANAGE)
def user_detail(request, pk: int):
    account = selectors.user_get(actor=request.user, pk=pk)
    return _user_page(request, account, tab=chosen_tab(request, USER_TABS))


def _user_page(request, account, *, tab: str, new_key: str | None = None):
    context = {
        "account": account,
        "tab": tab,
        "tabs": USER_TABS,
        "new_key": new_key,
        "tokens": selectors.api_tokens_of(actor=request.user, user=account),
    }
    if tab == HISTORY.key:
        context["history"] = history_rows(account)
    return render_page(request, "core/users/detail.html", context, partial="tab-body")


@require(access.USERS_MANAGE)
@require_POST
def user_set_active(request, pk: int):
    account = selectors.user_get(actor=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    if account.pk == request.user.pk and not active:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("core:user", pk=pk)
    try:
        services.user_update(
            actor=request.user,
            user=account,
            is_active=active,
            reason=request.POST.get("reason", "")[:500],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:user", pk=pk)
    messages.success(
        request, _("The account was activated.") if active else _("The account was deactivated.")
    )
    return redirect("core:user", pk=pk)


@require(access.USERS_MANAGE)
@require_POST
def token_issue(request, pk: int):
    account = selectors.user_get(actor=request.user, pk=pk)
    try:
        _token, key = services.api_token_issue(
            actor=request.user, user=account, name=request.POST.get("name", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:user", pk=pk)
    # The key is shown once, in this response; only its hash is stored anywhere.
    return _user_page(request, account, tab=OVERVIEW.key, new_key=key)


@require(access.USERS_MANAGE)
@require_POST
def token_revoke(request, pk: int, token_id: int):
    account = selectors.user_get(actor=request.user, pk=pk)
    token = get_object_or_404(ApiToken, pk=token_id, user=account)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("core:user", pk=pk)
