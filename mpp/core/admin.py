"""Admin for core records. The audit trail is read-only; calendar changes are audited."""

from django.contrib import admin

from mpp.core.audit import audit
from mpp.core.models import AuditRecord, CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "reason", "modified_by", "modified_at")
    list_filter = ("is_working_day",)
    search_fields = ("reason",)
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("date", "is_working_day", "reason")

    def save_model(self, request, obj, form, change) -> None:
        # The calendar page goes through core.services; the admin keeps the same audit trail.
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action="calendar.day_set",
            target=obj,
            data={"date": obj.date, "is_working_day": obj.is_working_day, "reason": obj.reason},
        )

    def delete_model(self, request, obj) -> None:
        self._audit_clear(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self._audit_clear(request, obj)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _audit_clear(request, obj: CalendarOverride) -> None:
        audit(
            actor=request.user,
            action="calendar.day_cleared",
            target=obj,
            data={"date": obj.date, "is_working_day": obj.is_working_day, "reason": obj.reason},
        )


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the chain must never be edited, not even by a superuser."""

    list_display = ("at", "actor_label", "action", "target_type", "target_id", "agency_id")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "action", "target_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
