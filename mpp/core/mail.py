"""Queue e-mails for the worker, after the current transaction commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def queue_email(*, to: str, template: str, context: dict, language: str | None = None) -> None:
    """Render `<template>_subject.txt` and `<template>.txt` and send them after commit.

    Rendered now, in the recipient's language, so the worker needs no request or user.
    Templates also get CITY_NAME and SITE_URL.
    """
    context = {"CITY_NAME": settings.MPP_CITY_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language()):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)

    def _enqueue() -> None:
        from mpp.core.tasks import send_email

        send_email.enqueue(to=[to], subject=subject, body=body)

    transaction.on_commit(_enqueue)
