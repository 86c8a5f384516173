"""Admin for accounts. NIKs are masked in every list; the full NIK shows only on a profile's
own change page (an authorised detail view). Powers of attorney are never linked from here
(MEDIA_URL is not served); deletion requests are handled on /kelola/permintaan-data/."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import (
    CitizenProfile,
    DeletionRequest,
    OfficerInvitation,
    Representation,
    User,
)
from mpp.accounts.nik import mask_nik

STAMPS = ("created_at", "created_by", "modified_at", "modified_by")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "full_name",
        "masked_nik",
        "email",
        "phone",
        "has_verified_contact",
        "is_staff",
        "is_active",
    )
    list_select_related = ("citizen",)
    # No NIK search: a search term travels in the URL (?q=...), and a NIK never may.
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Kontak dan bahasa"),
            {
                "fields": (
                    "full_name",
                    "phone",
                    "email_verified_at",
                    "phone_verified_at",
                    "preferred_language",
                )
            },
        ),
    )

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: User) -> str:
        profile = getattr(obj, "citizen", None)
        return mask_nik(profile.nik) if profile else "–"

    @admin.display(boolean=True, description=_("kontak terverifikasi"))
    def has_verified_contact(self, obj: User) -> bool:
        return obj.has_verified_contact


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ("masked_nik", "user", "sex", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    readonly_fields = ("user", *STAMPS)

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: CitizenProfile) -> str:
        return mask_nik(obj.nik)


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin):
    list_display = (
        "public_id",
        "representative",
        "represented_name",
        "masked_nik",
        "relationship",
        "valid_from",
        "valid_until",
        "revoked_at",
    )
    list_filter = ("relationship",)
    list_select_related = ("representative",)
    search_fields = ("public_id", "represented_name", "representative__username")
    # Registered and revoked through the citizen's pages (services audit them); read-only here.
    fields = (
        "public_id",
        "representative",
        "represented_nik",
        "represented_name",
        "relationship",
        "power_of_attorney_type",
        "valid_from",
        "valid_until",
        "revoked_at",
        *STAMPS,
    )
    readonly_fields = fields

    @admin.display(description=_("NIK orang yang diwakili"))
    def masked_nik(self, obj: Representation) -> str:
        return mask_nik(obj.represented_nik)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ("public_id", "user", "status", "created_at", "handled_at", "handled_by")
    list_filter = ("status",)
    readonly_fields = (
        "public_id",
        "user",
        "reason",
        "status",
        "handled_at",
        "handled_by",
        "answer",
        *STAMPS,
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OfficerInvitation)
class OfficerInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "agency", "role", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("agency", "role")
    list_select_related = ("agency",)
    search_fields = ("email",)
    readonly_fields = ("token_hash", "accepted_at", "accepted_by", *STAMPS)

    def has_add_permission(self, request) -> bool:
        return False
