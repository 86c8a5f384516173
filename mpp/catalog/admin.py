"""Admin for the catalog. Adopted standards are read-only here too; draft edits go through
catalog.services so that validation, permission and the audit trail are the same as in the UI.
"""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mpp.agencies.admin import STAMP_FIELDS, AuditedAdmin
from mpp.agencies.permissions import can_edit_agency_catalog
from mpp.catalog import services
from mpp.catalog.models import (
    Category,
    LifeEvent,
    Maklumat,
    Service,
    ServiceStandard,
    StandardStatus,
)
from mpp.catalog.standard_schema import COMPONENT_KEYS
from mpp.core.errors import ValidationFailed


def _refresh_search_text(queryset: QuerySet[Service]) -> None:
    # Category and life-event names are part of each service's search words.
    for service in queryset.select_related("agency", "category").prefetch_related("life_events"):
        services.refresh_search_text(service)


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "name_en", "slug")
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("slug", "name", "name_en", *STAMP_FIELDS)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _refresh_search_text(obj.services.all())


@admin.register(LifeEvent)
class LifeEventAdmin(AuditedAdmin):
    list_display = ("name", "name_en", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("slug", "name", "name_en", "description", "order", *STAMP_FIELDS)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _refresh_search_text(obj.services.all())


class StandardInline(admin.TabularInline):
    """The versions of a service, read-only, each linking to its own page."""

    model = ServiceStandard
    fields = ("version", "status", "effective_date", "fee_total", "decree_number")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-version",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ("name", "agency", "category", "channel", "standard_version", "is_active")
    list_filter = ("is_active", "channel", "category", "agency")
    search_fields = ("name", "slug", "synonyms", "keywords", "agency__name")
    list_select_related = ("agency", "category", "current_standard")
    autocomplete_fields = ("agency", "category")
    filter_horizontal = ("life_events",)
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("current_standard", *STAMP_FIELDS)
    inlines = (StandardInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "slug",
                    "name",
                    "short_description",
                    "agency",
                    "category",
                    "life_events",
                    "channel",
                    "keywords",
                    "synonyms",
                    "is_active",
                    "current_standard",
                )
            },
        ),
        (_("Riwayat"), {"fields": STAMP_FIELDS, "classes": ("collapse",)}),
    )

    @admin.display(description=_("versi berlaku"), ordering="current_standard__version")
    def standard_version(self, obj: Service) -> int | None:
        return obj.current_standard.version if obj.current_standard else None

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Life events are saved only now; the search words need them.
        services.refresh_search_text(form.instance)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a service would delete its adopted standards: deactivate it instead.
        return False


class DraftStandardForm(forms.ModelForm):
    """The 14 components of a draft, validated by the same schema as every other entry."""

    class Meta:
        model = ServiceStandard
        fields = ("change_note", *COMPONENT_KEYS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "fee" in self.fields:
            self.fields["fee"].required = False  # no fee items means free (gratis)

    def clean(self) -> dict:
        cleaned = super().clean()
        if "fee" in cleaned and cleaned["fee"] is None:
            cleaned["fee"] = []
        if any(key not in cleaned for key in COMPONENT_KEYS):
            return cleaned  # a field already has its own error (e.g. malformed JSON)
        try:
            self.components = services.validate_components(
                {key: cleaned[key] for key in COMPONENT_KEYS}
            )
        except ValidationFailed as exc:
            for path, messages in exc.errors.items():
                field = path.split(".", 1)[0]
                field = field if field in self.fields else None
                for message in messages:
                    self.add_error(field, f"{path}: {message}")
        return cleaned


@admin.register(ServiceStandard)
class ServiceStandardAdmin(admin.ModelAdmin):
    """Drafts are edited through catalog.services; every other status is read-only."""

    form = DraftStandardForm
    list_display = ("service", "version", "agency", "status", "effective_date", "fee_total")
    list_filter = ("status", "agency")
    search_fields = ("service__name", "service__slug", "decree_number")
    list_select_related = ("service", "agency")
    ordering = ("service__name", "-version")
    DRAFT_READONLY = (
        "service",
        "agency",
        "version",
        "status",
        "effective_date",
        "adopted_at",
        "decree_number",
        "fee_total",
        "completion_minutes",
        *STAMP_FIELDS,
    )

    def get_readonly_fields(self, request, obj=None) -> tuple[str, ...]:
        if obj is not None and obj.status == StandardStatus.DRAFT:
            return self.DRAFT_READONLY
        return (*self.DRAFT_READONLY, "change_note", *COMPONENT_KEYS)

    def get_fields(self, request, obj=None) -> tuple[str, ...]:
        return (*self.DRAFT_READONLY, "change_note", *COMPONENT_KEYS)

    def has_add_permission(self, request) -> bool:
        # A new version is numbered and copied by services.standard_create_draft.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        return obj.status == StandardStatus.DRAFT and can_edit_agency_catalog(
            request.user, obj.agency_id
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        services.standard_update_draft(
            actor=request.user,
            standard=obj,
            components=form.components,
            change_note=form.cleaned_data.get("change_note", ""),
        )


@admin.register(Maklumat)
class MaklumatAdmin(AuditedAdmin):
    list_display = ("agency", "signer_name", "signer_title", "signed_on")
    list_filter = ("agency",)
    search_fields = ("agency__name", "signer_name", "text")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    date_hierarchy = "signed_on"
    fields = ("agency", "text", "signer_name", "signer_title", "signed_on", *STAMP_FIELDS)
