"""Background work run by the worker (django-tasks database backend)."""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from mpp.core.models import DomainEvent


@task()
def publish_event(event_pk: int) -> None:
    """Hand a domain event to each subscriber in MPP_EVENT_SUBSCRIBERS, then mark it published.

    Subscribers (dotted paths, e.g. interop's webhook fan-out) must be idempotent: an event
    may be published again (interop's `webhooks_sweep` republishes events left unpublished).
    """
    event = DomainEvent.objects.filter(pk=event_pk).first()
    if event is None:
        return
    for path in getattr(settings, "MPP_EVENT_SUBSCRIBERS", ()):
        import_string(path)(event)
    DomainEvent.objects.filter(pk=event_pk, published_at__isnull=True).update(
        published_at=timezone.now()
    )


@task()
def send_email(*, to: list[str], subject: str, body: str, html: str = "") -> None:
    """Deliver one e-mail through the configured backend (SMTP in production and in tests).

    A failure raises, so the task is marked failed and can be retried; nothing is lost.
    """
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
