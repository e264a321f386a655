"""The free-of-charge grounds (442-FZ art. 31 part 1) in the admin site, audited like every
change there; the model's own checks (one criterion, no overlapping period of a code) hold
here as on the rules pages. Once saved, a ground keeps its code, start and criterion: a
change of the law is a new ground from its day. The other rules in force change only through
the rules pages and the API, whose services keep their versions."""

from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import FreeGround

FIXED_ONCE_SAVED = ("code", "valid_from", "age_under", "category_code")


@admin.register(FreeGround)
class FreeGroundAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "age_under", "category_code", "valid_from", "valid_to")
    list_display_links = ("name",)
    list_filter = ("valid_to",)
    search_fields = ("code", "name", "name_en", "category_code", "citation")
    ordering = ("valid_from", "code")

    def get_readonly_fields(self, request, obj=None):
        return FIXED_ONCE_SAVED if obj is not None else ()
