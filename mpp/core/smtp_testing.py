"""A real SMTP server for tests (aiosmtpd on a free loopback port): a pytest plugin.

Mail goes through a real SMTP conversation; tests read what arrived from `smtp_server.messages`.
"""

import email
import email.policy
import socket
from email.message import EmailMessage

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, inbox: _Inbox, port: int) -> None:
        self._inbox = inbox
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        return self._inbox.messages

    def bodies_to(self, address: str) -> list[str]:
        """Plain-text bodies of the messages sent to one address, oldest first."""
        return [
            m.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
            for m in self.messages
            if address.lower() in m["To"].lower()
        ]


@pytest.fixture
def smtp_server(settings):
    """Start a local SMTP server and point Django's SMTP backend at it; tasks run at once."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    try:
        yield SmtpServer(inbox, port)
    finally:
        controller.stop()
