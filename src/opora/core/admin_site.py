from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

from .roles import Role


class OporaAdminSite(admin.AdminSite):
    site_header = _("Opora administration")
    site_title = _("Opora")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_active
            and user.is_authenticated
            and (user.is_superuser or user.role == Role.ADMINISTRATOR)
        )


class OporaAdminConfig(AdminConfig):
    default_site = "opora.core.admin_site.OporaAdminSite"
