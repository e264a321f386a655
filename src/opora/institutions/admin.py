from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import Institution


@admin.register(Institution)
class InstitutionAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "name_en", "code")
    list_filter = ("is_active",)
