"""Invalidate cached catalog pages whenever catalog data changes, whatever the write path.

Cache invalidation is infrastructure, not a business rule: hooking the model signals covers
services, the admin, imports and the demo loader alike.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from mpp.core import cache

CATALOG_AREA = "catalog"


def _bump(**kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    cache.bump(CATALOG_AREA)


def connect() -> None:
    from mpp.agencies.models import Agency
    from mpp.catalog.models import Category, LifeEvent, Maklumat, Service, ServiceStandard

    for model in (Agency, Category, LifeEvent, Maklumat, Service, ServiceStandard):
        post_save.connect(_bump, sender=model, dispatch_uid=f"catalog-cache-save-{model.__name__}")
        post_delete.connect(
            _bump, sender=model, dispatch_uid=f"catalog-cache-delete-{model.__name__}"
        )
    m2m_changed.connect(
        _bump, sender=Service.life_events.through, dispatch_uid="catalog-cache-life-events"
    )
