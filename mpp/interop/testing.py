"""Test helpers: a real HTTP receiver on loopback and signing of inbound requests."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mpp.interop import crypto


class Receiver:
    """A threaded http.server on a free loopback port that records every request.

    `answer(request_number) -> status` decides each reply (200 by default); `stop()` and
    `start()` take it down and bring it back on the same port.
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answer = lambda n: 200
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    number = len(receiver.requests)
                    receiver.requests.append(
                        {
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "body": body,
                            "path": self.path,
                        }
                    )
                status = receiver.answer(number)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def signed_inbound_headers(secret: str, body: bytes, *, msg_id: str, timestamp: int | None = None):
    """Headers an agency system sends with an inbound event (Standard Webhooks)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/cloudevents+json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": crypto.sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
    }
