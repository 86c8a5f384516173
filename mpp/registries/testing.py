"""A real reference registry for tests (a pytest plugin loaded by the root conftest.py).

The server runs in a thread on a free loopback port: real HTTP, no mocks. `registry` points
MPP's settings at it and exposes the server's app, whose `.hits` counts the look-ups.
"""

import threading

import pytest

from mpp.registries.reference_server import serve

TOKEN = "test-registry-token"  # noqa: S105 (the test server's own token)


@pytest.fixture(scope="module")
def registry_server():
    server, app = serve(host="127.0.0.1", port=0, token=TOKEN)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, app
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def registry(registry_server, settings):
    """The running registry's app (read `.hits`), with MPP's settings pointing at it."""
    server, app = registry_server
    settings.MPP_REGISTRY_URL = f"http://127.0.0.1:{server.server_port}"
    settings.MPP_REGISTRY_TOKEN = TOKEN
    settings.MPP_REGISTRY_TIMEOUT = 5
    settings.MPP_REGISTRY_CACHE_SECONDS = 600
    app.hits = 0
    return app
