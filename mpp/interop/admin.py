from django.contrib import admin

from mpp.interop.models import ApiClient, WebhookDelivery, WebhookSubscription


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "public_id", "last_used_at", "revoked_at")
    list_filter = ("agency",)
    readonly_fields = ("public_id", "last_used_at", "revoked_at")
    exclude = ("created_by", "modified_by")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "agency", "is_active", "disabled_reason")
    list_filter = ("agency", "is_active")
    exclude = ("secret", "created_by", "modified_by")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("message_id", "subscription", "subject", "status", "attempts")
    list_filter = ("status",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
