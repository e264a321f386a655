"""Reference data of casework in the admin site: the grounds of the application, the scales of
the ability to care for oneself, their items and the care levels they propose. Cases change only
through the pages and the API, whose services keep the rules; every change here is audited."""

from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import ApplicationGround, AssessmentScale, CareLevel, ScaleItem


@admin.register(ApplicationGround)
class ApplicationGroundAdmin(AuditedModelAdmin):
    list_display = ("order", "name", "code", "basis", "is_active")
    list_display_links = ("name",)
    list_filter = ("is_active",)
    search_fields = ("name", "name_en", "code")


@admin.register(AssessmentScale)
class AssessmentScaleAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "is_active")
    search_fields = ("name", "name_en", "code")


@admin.register(ScaleItem)
class ScaleItemAdmin(AuditedModelAdmin):
    list_display = ("scale", "order", "name", "code")
    list_display_links = ("name",)
    list_filter = ("scale",)
    search_fields = ("name", "name_en", "code")


@admin.register(CareLevel)
class CareLevelAdmin(AuditedModelAdmin):
    list_display = ("scale", "name", "min_score", "max_score", "proposed_form", "visits_per_week")
    list_display_links = ("name",)
    list_filter = ("scale",)
