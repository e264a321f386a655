"""The kinds of document and of category are data that administrators keep in the admin site;
every change there is audited like any other (AuditedModelAdmin)."""

from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import CategoryKind, DocumentKind


@admin.register(DocumentKind)
class DocumentKindAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code", "series_pattern", "number_pattern")
    search_fields = ("name", "name_en", "code")


@admin.register(CategoryKind)
class CategoryKindAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code", "household_level", "review_days")
    list_filter = ("household_level",)
    search_fields = ("name", "name_en", "code")
