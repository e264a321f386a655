from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import ServiceKind


@admin.register(ServiceKind)
class ServiceKindAdmin(AuditedModelAdmin):
    """The kinds are reference data; services, tariffs and providers change through the pages
    and the API, whose services keep the catalogue's rules."""

    list_display = ("order", "name", "name_en", "code", "is_urgent")
    list_display_links = ("name",)
    search_fields = ("name", "name_en", "code")
    ordering = ("order",)
