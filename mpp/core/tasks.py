"""Background work run by the worker (django-tasks database backend)."""

from django.utils import timezone
from django_tasks import task

from mpp.core.models import DomainEvent


@task()
def publish_event(event_pk: int) -> None:
    """Mark a domain event published; webhook fan-out hooks in here (interop)."""
    DomainEvent.objects.filter(pk=event_pk, published_at__isnull=True).update(
        published_at=timezone.now()
    )
