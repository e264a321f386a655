from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.forms import UserCreationForm as DjangoUserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import audit
from .audit_actions import ADMIN_ADDED, ADMIN_CHANGED, ADMIN_DELETED, USER_PASSWORD_SET
from .errors import DomainError
from .forms import apply_domain_error
from .models import ApiToken, AuditEntry, Job, User, WorkerHeartbeat
from .services import check_role_and_institutions


class AuditedModelAdmin(admin.ModelAdmin):
    """Every change made in the admin site is written to the audit log like any other."""

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in form.changed_data}
        audit.record(
            actor=request.user,
            action=ADMIN_CHANGED if change else ADMIN_ADDED,
            obj=obj,
            changes=audit.diff(before, after) if change else {},
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit.record(actor=request.user, action=ADMIN_DELETED, obj=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # The "delete selected" action runs outside the admin's own transaction.
        audit.record_many(actor=request.user, action=ADMIN_DELETED, objects=list(queryset))
        super().delete_queryset(request, queryset)


class RoleRulesMixin:
    """The admin site's user forms keep the same rules as the account pages."""

    def clean(self):
        data = super().clean()
        try:
            check_role_and_institutions(data.get("role", ""), data.get("institutions") or [])
        except DomainError as error:
            apply_domain_error(self, error)
        return data


class UserChangeForm(RoleRulesMixin, DjangoUserChangeForm):
    pass


class UserCreationForm(RoleRulesMixin, DjangoUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        # Django's own password form saves without save_model; audit it here.
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit.record(actor=request.user, action=USER_PASSWORD_SET, obj=User.objects.get(pk=id))
        return response

    list_display = ("username", "display_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_service_account")
    filter_horizontal = ("institutions", "groups", "user_permissions")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Opora"),
            {
                "fields": (
                    "role",
                    "patronymic",
                    "institutions",
                    "preferred_language",
                    "is_service_account",
                )
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Opora"), {"fields": ("role", "institutions")}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "object_repr", "source")
    list_filter = ("action", "source")
    search_fields = ("object_repr", "actor_name", "action")
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "status", "done", "total", "created_by")
    list_filter = ("status", "kind")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "hostname", "pid", "backend", "started_at", "last_seen_at")
