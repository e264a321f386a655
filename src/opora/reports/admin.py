"""Published figures in the admin site, audited like every change there; the model's own checks
(a value not negative, a percentage at most 100, a seed's figure quoted) hold here as on the
pages. The pages and the API, through the services, are the usual way to keep figures."""

from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import PublishedFigure


@admin.register(PublishedFigure)
class PublishedFigureAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "qualifier", "value", "unit", "as_of", "source_document")
    list_display_links = ("name",)
    list_filter = ("unit", "source_kind", "is_example", "as_of_precision")
    search_fields = ("code", "name", "name_en", "source_title", "source_document", "quotation")
    raw_id_fields = ("institution", "partner")
    readonly_fields = ("retired_at", "retired_reason")
    ordering = ("-as_of", "code")
