"""Targeted assistance in the admin site, read-only: measures and their versions change only
through the services (a rule is validated against the language's schema, a published version
never changes), applications and assignments only through the pages and the API, so that every
change keeps its rules and its audit entry."""

from django.contrib import admin

from opora.core.admin import ReadOnlyAdmin

from .models import Application, Assignment, Decision, Measure, MeasureVersion, Overpayment


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "beneficiary", "ended_on")
    list_filter = ("kind", "beneficiary")
    search_fields = ("name", "name_en", "code")


@admin.register(MeasureVersion)
class MeasureVersionAdmin(ReadOnlyAdmin):
    list_display = ("measure", "number", "status", "valid_from", "periodicity", "published_at")
    list_filter = ("status", "periodicity")
    search_fields = ("measure__name", "measure__code", "legal_basis")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "measure", "institution", "applied_on", "due_on", "status")
    list_filter = ("status", "channel")
    raw_id_fields = ("person", "household")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "outcome", "decided_on", "is_late")
    list_filter = ("outcome", "is_late")


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "measure", "institution", "amount", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("person", "household")


@admin.register(Overpayment)
class OverpaymentAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "period_from", "period_to", "amount", "status", "found_on")
    list_filter = ("status",)
