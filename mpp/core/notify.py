"""Notifications to people (e-mail, SMS) through an outbox the worker empties after commit.

A service calls `notify_user(...)` inside its transaction: the messages are rendered now, in
the recipient's language, and stored as Notification rows; after commit the worker sends each
one (`deliver_notification`). When the mail server or the SMS gateway fails, the attempt is
counted and retried later with exponential backoff (MPP_NOTIFY_RETRY_SECONDS × 2^n) until
MPP_NOTIFY_MAX_ATTEMPTS; nothing is sent inside the request and nothing is lost.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from mpp.core.models import Notification, NotificationChannel, NotificationStatus

logger = logging.getLogger("mpp.notify")
SMS_MAX_LENGTH = 160


def max_attempts() -> int:
    return int(getattr(settings, "MPP_NOTIFY_MAX_ATTEMPTS", 6))


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after the n-th failed attempt: base × 2^(n-1), at most one day."""
    base = int(getattr(settings, "MPP_NOTIFY_RETRY_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86400))


def _render(template: str, context: dict) -> tuple[str, str, str]:
    context = {"CITY_NAME": settings.MPP_CITY_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    sms = " ".join(render_to_string(f"{template}_sms.txt", context).split())[:SMS_MAX_LENGTH]
    return subject, body, sms


def _enqueue_after_commit(notification: Notification) -> None:
    def _enqueue() -> None:
        deliver_notification.enqueue(notification.pk)

    transaction.on_commit(_enqueue)


def notify_user(*, user, topic: str, template: str, context: dict, subject_ref: str = "") -> list:
    """Queue an e-mail (and an SMS to a verified phone) to the user, in their language.

    Templates: `<template>_subject.txt`, `<template>.txt` (e-mail) and `<template>_sms.txt`.
    """
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body, sms = _render(template, {"user": user, **context})
    rows = []
    if user.email:
        rows.append(
            Notification(
                channel=NotificationChannel.EMAIL, to=user.email, subject=subject, body=body
            )
        )
    if user.phone and user.phone_verified_at:
        rows.append(Notification(channel=NotificationChannel.SMS, to=user.phone, body=sms))
    for row in rows:
        row.topic, row.subject_ref = topic, subject_ref
        row.save()
        _enqueue_after_commit(row)
    return rows


def _send(notification: Notification) -> None:
    if notification.channel == NotificationChannel.SMS:
        from mpp.accounts.sms import send_sms

        send_sms(notification.to, notification.body)
        return
    from django.core.mail import EmailMessage

    EmailMessage(
        notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.to]
    ).send(fail_silently=False)


def _retry_later(notification: Notification) -> None:
    """Queue the next attempt for its time; without a deferring backend, `notify_retry` does."""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return
    pk, run_after = notification.pk, notification.next_attempt_at
    transaction.on_commit(lambda: deliver_notification.using(run_after=run_after).enqueue(pk))


def retry_due(now=None) -> int:
    """Send again every pending notification whose next attempt is due; returns how many."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(deliver(pk) == NotificationStatus.SENT for pk in list(due))


def deliver(notification_pk: int) -> str:
    """Send one pending notification; on failure schedule the next attempt. Returns its status."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_pk, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:
            return "gone"
        try:
            _send(notification)
        except Exception as exc:  # any provider failure is retried, never lost
            notification.attempts += 1
            notification.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if notification.attempts >= max_attempts():
                notification.status = NotificationStatus.FAILED
                notification.next_attempt_at = None
            else:
                notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
            notification.save()
            logger.warning(
                "notification %s attempt %s failed: %s",
                notification.pk,
                notification.attempts,
                type(exc).__name__,
            )
            if notification.status == NotificationStatus.PENDING:
                _retry_later(notification)
            return notification.status
        notification.attempts += 1
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        notification.save()
        return notification.status


@task()
def deliver_notification(notification_pk: int) -> str:
    """Worker task: send one notification (see `deliver`)."""
    return deliver(notification_pk)
