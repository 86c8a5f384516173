"""What the benchmarks share: the server's environment, start and stop, and the load client.

Each benchmark starts the real server (gunicorn, gthread workers, DEBUG off, collected static
files) on a free loopback port with a temporary database, and measures the minimal view
`GET /_bench/minimal` (routed only when MPP_BENCH_VIEWS=1) in the same run, so its figures
are read as ratios. `settings` below is any object with the attributes named (each
benchmark has its own Settings dataclass). See bench/README.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
MINIMAL = "/_bench/minimal"

POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER = "127.0.0.1", 5432, "postgres"


@dataclass
class Measurement:
    name: str
    path: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p95_ms": round(self.percentile(0.95), 2),
        }


# --- Server lifecycle ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def bench_env(tmp: Path, page_cache: str = "on", database_url: str = "") -> dict[str, str]:
    """The server's environment: everything under `tmp`; SQLite there unless `database_url`."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        {
            "MPP_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MPP_STATIC_ROOT": str(tmp / "static"),
            "MPP_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "MPP_ALLOWED_HOSTS": f"{HOST},localhost",
            "MPP_BENCH_VIEWS": "1",
            "MPP_HTTPS": "0",
            "MPP_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if page_cache == "off":
        env["MPP_PAGE_CACHE_SECONDS"] = "0"  # every request renders from the database
    return env


@contextlib.contextmanager
def temporary_postgres(prefix: str = "mpp_bench") -> Iterator[str]:
    """A new, empty PostgreSQL database on the local server (user postgres, trust
    authentication); yields its DATABASE_URL and drops it afterwards."""
    import psycopg  # the project's PostgreSQL driver; only needed for this option

    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = f"host={POSTGRES_HOST} port={POSTGRES_PORT} user={POSTGRES_USER} dbname=postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        sys.stderr.write(
            f"bench: cannot create a database on {POSTGRES_HOST}:{POSTGRES_PORT} "
            f"as {POSTGRES_USER}: {exc}\n"
        )
        raise SystemExit(1) from None
    try:
        yield f"postgres://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(
    args: list[str], env: dict[str, str], *, timeout: float = 600
) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run([str(BIN / "python"), "manage.py", *args], env)


def must(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        sys.stderr.write(f"bench: {what} failed\n{result.stdout}\n{result.stderr}\n")
        raise SystemExit(1)


def must_output(result: subprocess.CompletedProcess) -> str:
    must(result, "reading the data")
    return result.stdout.strip().splitlines()[-1]


def start_server(env: dict[str, str], port: int, settings, log: Path) -> subprocess.Popen:
    """gunicorn with the flags of bin/serve (access log included), on a loopback port."""
    args = [
        str(BIN / "gunicorn"),
        "mpp.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(settings.workers),
        "--threads",
        str(settings.threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench: gunicorn exited during start-up (see its log)")
        try:
            status, _ = fetch(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)  # a start-up poll in a script, not in a test
    raise SystemExit("bench: gunicorn did not answer /healthz in time")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Load generation -----------------------------------------------------------------------


def fetch(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Language": "id", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def measure(
    port: int, name: str, path: str, settings, total: int, headers: dict | None = None
) -> Measurement:
    """Send `total` GETs from settings.clients keep-alive threads (or stop at max_seconds)."""
    sent_headers = {"Accept-Language": "id", **(headers or {})}
    result = Measurement(name, path)
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + settings.max_seconds

    def take() -> bool:
        nonlocal issued
        with lock:
            if issued >= total or time.monotonic() > deadline:
                return False
            issued += 1
            return True

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        latencies, errors = [], 0
        while take():
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=sent_headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            latencies.append((time.perf_counter() - began) * 1000)
            errors += not ok
        conn.close()
        with lock:
            result.latencies_ms.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=client) for _ in range(settings.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies_ms)
    return result


# --- Report --------------------------------------------------------------------------------


def save_results(filename: str, settings, results: dict) -> None:
    """Write the settings (without `keep`) and results as JSON under bench/results/."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {k: v for k, v in asdict(settings).items() if k != "keep"},
        **results,
    }
    (RESULTS / filename).write_text(json.dumps(payload, indent=2) + "\n")
    print(f"Results written to {(RESULTS / filename).relative_to(ROOT)}")
