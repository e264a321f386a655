from django.contrib import admin

from opora.core.admin import AuditedModelAdmin

from .models import PayoutDetails, Payroll


@admin.register(PayoutDetails)
class PayoutDetailsAdmin(AuditedModelAdmin):
    list_display = ("person", "channel", "bik", "account", "valid_from", "valid_to")
    list_filter = ("channel",)
    raw_id_fields = ("person", "recorded_by")


@admin.register(Payroll)
class PayrollAdmin(AuditedModelAdmin):
    list_display = ("month", "number", "status", "control_count", "control_total")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False  # a payroll changes only through its services (checks, maker-checker)
