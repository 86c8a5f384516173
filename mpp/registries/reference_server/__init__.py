"""A small stand-alone reference population registry (its own process; no Django).

    python -m mpp.registries.reference_server [--host 127.0.0.1] [--port 8090]

The demo (`make run`) and the tests talk to it over real HTTP, the way MPP talks to the
civil registry's data-access service in production:

    GET /v1/penduduk/{nik}      Authorization: Bearer <token>
        200 {"data": {...record...}}
        400 {"error": "invalid_nik"}       the NIK is not 16 digits
        401 {"error": "unauthorized"}      no or wrong bearer token
        404 {"error": "not_found"}         no such person
    GET /healthz                200 {"status": "ok"}

The token comes from MPP_REGISTRY_SERVER_TOKEN (default: the demo token, which is also the
default MPP_REGISTRY_TOKEN of the embedded mode). Plain WSGI from the standard library,
several threads. See docs/adr/0027-reference-registry-server.md.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from mpp.registries.reference_server.records import RECORDS

DEMO_TOKEN = "demo-registry-token"  # noqa: S105 - a public demo value, documented as such
DEFAULT_PORT = 8090
_PATH = re.compile(r"^/v1/penduduk/(?P<nik>[^/]+)/?$")

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class RegistryApp:
    """The WSGI application; counts the requests it answered (tests read `hits`)."""

    def __init__(self, *, token: str, records: dict[str, dict] | None = None) -> None:
        self.token = token
        self.records = RECORDS if records is None else records
        self.hits = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        with self._lock:
            self.hits += 1
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._json(start_response, "405 Method Not Allowed", {"error": "method"})
        if path == "/healthz":
            return self._json(start_response, "200 OK", {"status": "ok"})
        match = _PATH.match(path)
        if match is None:
            return self._json(start_response, "404 Not Found", {"error": "unknown_path"})
        if not self._authorised(environ.get("HTTP_AUTHORIZATION", "")):
            return self._json(
                start_response,
                "401 Unauthorized",
                {"error": "unauthorized"},
                [("WWW-Authenticate", 'Bearer realm="registry"')],
            )
        nik = match["nik"]
        if not re.fullmatch(r"[0-9]{16}", nik):
            return self._json(start_response, "400 Bad Request", {"error": "invalid_nik"})
        record = self.records.get(nik)
        if record is None:
            return self._json(start_response, "404 Not Found", {"error": "not_found"})
        return self._json(start_response, "200 OK", {"data": record})

    def _authorised(self, header: str) -> bool:
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.token.encode()
        )

    @staticmethod
    def _json(
        start_response: StartResponse,
        status: str,
        body: dict,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        content = json.dumps(body, ensure_ascii=False).encode()
        headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(content))),
            ("Cache-Control", "no-store"),
            *(extra or []),
        ]
        start_response(status, headers)
        return [content]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    # The default handler logs every request with its path, which holds the NIK.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def serve(
    *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, token: str = DEMO_TOKEN
) -> tuple[WSGIServer, RegistryApp]:
    """A bound server (port 0 picks a free one) and its app; call serve_forever()."""
    app = RegistryApp(token=token)
    server = make_server(
        host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    return server, app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="MPP reference population registry")
    parser.add_argument("--host", default=os.environ.get("MPP_REGISTRY_SERVER_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("MPP_REGISTRY_SERVER_PORT", DEFAULT_PORT))
    )
    args = parser.parse_args(argv)
    token = os.environ.get("MPP_REGISTRY_SERVER_TOKEN", "").strip() or DEMO_TOKEN
    server, _app = serve(host=args.host, port=args.port, token=token)
    print(
        f"Reference registry: http://{args.host}:{server.server_port}/v1/penduduk/<nik>",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
