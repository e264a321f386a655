"""The classifier of occupations in the admin site, audited like every change there: the
groups beyond the part the migration loads are added here. A saved group keeps its code
(job seekers' profiles and vacancies point to it); the other employment data change only
through the services."""

from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import Occupation


@admin.register(Occupation)
class OccupationAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_en")
    list_display_links = ("code", "name")
    search_fields = ("code", "name", "name_en")
    ordering = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()
