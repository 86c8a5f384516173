"""SMS through an adapter chosen by settings.MPP_SMS_BACKEND.

The default, LoggingSmsBackend, sends nothing: it logs the masked number through the logger
"mpp.sms" and keeps the last messages in memory (tests, development). A real provider is
plugged in by writing a subclass of BaseSmsBackend and naming it in MPP_SMS_BACKEND; the
HttpGatewaySmsBackend below covers the common "POST JSON to a gateway" kind of provider.
"""

import json
import logging
import urllib.request
from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from mpp.accounts.phone import mask_phone

logger = logging.getLogger("mpp.sms")


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class BaseSmsBackend:
    """How to plug in a provider.

    1. Subclass and implement `send(to, text)`: `to` is an E.164 number (+628...), `text` is
       plain text of at most 160 characters. Raise an exception when the provider refuses;
       never log the full number or the text (it carries one-time codes).
    2. Read credentials from settings (environment variables through mpp.settings), not
       from code.
    3. Set MPP_SMS_BACKEND="dotted.path.to.YourBackend".
    """

    def send(self, to: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Development and tests: logs the masked number, keeps the last messages in `outbox`."""

    outbox: ClassVar[deque[SmsMessage]] = deque(maxlen=100)

    def send(self, to: str, text: str) -> None:
        self.outbox.append(SmsMessage(to=to, text=text))
        logger.info("SMS to %s: %s", mask_phone(to), text)

    @classmethod
    def messages_to(cls, to: str) -> list[str]:
        """Texts sent to one number, oldest first."""
        return [m.text for m in cls.outbox if m.to == to]


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs {"to": ..., "text": ...} as JSON to MPP_SMS_HTTP_URL with a bearer token
    (MPP_SMS_HTTP_TOKEN); any 2xx answer counts as accepted."""

    def __init__(self) -> None:
        self.url = getattr(settings, "MPP_SMS_HTTP_URL", "")
        self.token = getattr(settings, "MPP_SMS_HTTP_TOKEN", "")
        self.timeout = getattr(settings, "MPP_SMS_HTTP_TIMEOUT", 10)
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("MPP_SMS_HTTP_URL must be an http(s) URL")

    def send(self, to: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __init__)
            self.url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")
        logger.info("SMS to %s accepted by the gateway", mask_phone(to))


def get_backend() -> BaseSmsBackend:
    return import_string(settings.MPP_SMS_BACKEND)()


def send_sms(to: str, text: str) -> None:
    """Send one SMS through the configured backend."""
    get_backend().send(to, text)
