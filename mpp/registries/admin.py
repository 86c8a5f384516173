"""Read-only admin of consents and the look-up log (the MPP manager's oversight). The log
shows masked NIKs only; it cannot be edited or deleted from here."""

from django.contrib import admin

from mpp.registries.models import RegistryConsent, RegistryLookup


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegistryConsent)
class RegistryConsentAdmin(_ReadOnly):
    list_display = ("user", "purpose", "given_at", "withdrawn_at")
    list_filter = ("purpose",)
    list_select_related = ("user",)


@admin.register(RegistryLookup)
class RegistryLookupAdmin(_ReadOnly):
    list_display = ("at", "actor_label", "nik_masked", "purpose", "outcome", "on_behalf")
    list_filter = ("purpose", "outcome")
    search_fields = ("actor_label",)
    exclude = ("nik_hash",)
