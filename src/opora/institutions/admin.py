from django.contrib import admin
from django.db import models

from opora.core.admin import AuditedModelAdmin

from .models import AccessibilityFeature, District, Institution, InstitutionKind, Position


@admin.register(Institution)
class InstitutionAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "kind", "district", "status")
    search_fields = ("name", "name_en", "code")
    list_filter = ("status", "kind")
    # The status and its history change through the status page, which keeps them together.
    readonly_fields = ("status", "status_since", "closed_on", "is_active")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(InstitutionKind)
class InstitutionKindAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code", "position")
    search_fields = ("name", "name_en", "code")


@admin.register(AccessibilityFeature)
class AccessibilityFeatureAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code")
    search_fields = ("name", "name_en", "code")


@admin.register(Position)
class PositionAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code", "has_caseload")
    search_fields = ("name", "name_en", "code")
    list_filter = ("has_caseload",)


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ("name", "name_en", "code", "population")
    search_fields = ("name", "name_en", "code")
