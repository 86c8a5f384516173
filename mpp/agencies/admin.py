"""Admin for tenants and roles. Every change is stamped and audited: roles decide who may act."""

from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from mpp.agencies.models import Agency, CityRole, Membership
from mpp.core.audit import audit

STAMP_FIELDS = ("created_at", "created_by", "modified_at", "modified_by")


class AuditedAdmin(admin.ModelAdmin):
    """Stamps created_by/modified_by and writes an audit record for each save and delete.

    The admin's change view already runs in one transaction, so the audit record commits
    with the change or not at all.
    """

    readonly_fields = STAMP_FIELDS

    def audit_agency_id(self, obj: Model) -> int | None:
        return getattr(obj, "agency_id", None)

    def _audit(self, request, obj: Model, verb: str, fields: list[str] | None = None) -> None:
        audit(
            actor=request.user,
            action=f"{obj._meta.model_name}.{verb}_in_admin",
            target=obj,
            agency_id=self.audit_agency_id(obj),
            data={"fields": sorted(fields)} if fields is not None else {},
        )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "updated" if change else "created", list(form.changed_data))

    def delete_model(self, request, obj) -> None:
        self._audit(request, obj, "deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self._audit(request, obj, "deleted")
        super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "is_active")
    autocomplete_fields = ("user",)
    # Inline saves bypass AuditedAdmin.save_model; memberships are edited on their own page.
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "kind", "counter_location", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("slug", "name", "short_name", "kind", "description", "is_active")}),
        (
            _("Kontak dan lokasi"),
            {
                "fields": (
                    "address",
                    "phone",
                    "email",
                    "website",
                    "counter_location",
                    "opening_hours",
                )
            },
        ),
        (_("Riwayat"), {"fields": STAMP_FIELDS, "classes": ("collapse",)}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def audit_agency_id(self, obj: Agency) -> int | None:
        return obj.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        # An agency keeps its history (services, standards, audit trail): deactivate it instead.
        return False


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "agency", "role", "is_active", "modified_at")
    list_filter = ("role", "is_active", "agency")
    search_fields = ("user__username", "user__full_name", "agency__name", "agency__short_name")
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    fields = ("user", "agency", "role", "is_active", *STAMP_FIELDS)


@admin.register(CityRole)
class CityRoleAdmin(AuditedAdmin):
    list_display = ("user", "role", "is_active", "modified_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    fields = ("user", "role", "is_active", *STAMP_FIELDS)
