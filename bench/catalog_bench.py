"""Catalog benchmark: requests per second of the public pages against a minimal Django view.

Starts the real server (gunicorn, gthread workers, DEBUG off, collected static files) on a free
loopback port with a temporary SQLite database, loads data, and measures each URL from N
keep-alive client threads. Each page is measured between two runs of the minimal view and
reported as a ratio to their mean, so a noisy machine skews both sides alike.

This is a report, not a test: it exits 0 whatever the figures (1 only if it cannot run).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
MINIMAL = "/_bench/minimal"
TARGET_RATIO = 0.5
TARGETED = ("service page", "API list")

DATA_SCRIPT = str(ROOT / "bench" / "bench_data.py")


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


@dataclass
class Settings:
    workers: int
    threads: int
    clients: int
    requests: int
    warmup: int
    max_seconds: float
    min_services: int
    data: str = ""
    keep: bool = False
    page_cache: str = "on"
    services: int = 0
    database: str = "SQLite (temporary file, WAL)"
    server: str = "gunicorn gthread, DEBUG off, whitenoise, collectstatic into a temp dir"
    cpus: int = os.cpu_count() or 1
    python: str = sys.version.split()[0]


# --- Server lifecycle ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def bench_env(tmp: Path, page_cache: str = "on") -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        {
            "MPP_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
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


def prepare(env: dict[str, str], settings: Settings) -> str:
    """Migrate, collect static files, load data; return the service slug to measure."""
    must(manage(env, "migrate", "--noinput", "-v", "0"), "migrate")
    must(manage(env, "collectstatic", "--noinput", "-v", "0"), "collectstatic")
    sources = []
    if settings.data in ("auto", "demo"):
        seeded = manage(env, "seed_demo", "--no-accounts")
        if seeded.returncode == 0:
            sources.append("seed_demo")
        elif settings.data == "demo":
            must(seeded, "seed_demo")
        else:
            print("bench: seed_demo unavailable or failed; using generated data only")
            print("  " + (seeded.stderr.strip().splitlines() or ["?"])[-1])
    generated = run([str(BIN / "python"), DATA_SCRIPT, "generate", str(settings.min_services)], env)
    must(generated, "generating services")
    info = json.loads(must_output(run([str(BIN / "python"), DATA_SCRIPT, "pick"], env)))
    if not info["slug"]:
        sys.stderr.write("bench: no service with an adopted standard to measure\n")
        raise SystemExit(1)
    demo_part = "seed_demo" if sources else "no seed_demo"
    settings.data = f"{demo_part} + generated up to {settings.min_services} services"
    settings.services = info["services"]
    return info["slug"]


def must_output(result: subprocess.CompletedProcess) -> str:
    must(result, "reading the data")
    return result.stdout.strip().splitlines()[-1]


def start_server(env: dict[str, str], port: int, settings: Settings, log: Path) -> subprocess.Popen:
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


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Accept-Language": "id"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def measure(port: int, name: str, path: str, settings: Settings, total: int) -> Measurement:
    """Send `total` GETs from settings.clients keep-alive threads (or stop at max_seconds)."""
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
                conn.request("GET", path, headers={"Accept-Language": "id"})
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


def run_suite(port: int, targets: list[tuple[str, str]], settings: Settings) -> dict:
    """Warm up, then measure minimal, page, minimal, page, ..., minimal."""
    for _, path in [("minimal", MINIMAL), *targets]:
        status, body = fetch(port, path)
        if status != 200:
            print(f"bench: warning: {path} answered {status} before the run: {body[:200]!r}")
        measure(port, "warm-up", path, settings, settings.warmup)
    minimal_runs = [measure(port, "minimal", MINIMAL, settings, settings.requests)]
    pages = []
    for name, path in targets:
        page = measure(port, name, path, settings, settings.requests)
        minimal_runs.append(measure(port, "minimal", MINIMAL, settings, settings.requests))
        ceiling = statistics.mean(run.rps for run in minimal_runs[-2:])
        row = page.summary()
        row["minimal_rps"] = round(ceiling, 1)
        row["ratio"] = round(page.rps / ceiling, 3) if ceiling else 0.0
        if name in TARGETED:
            row["target"] = TARGET_RATIO
            row["verdict"] = "PASS" if row["ratio"] >= TARGET_RATIO else "BELOW TARGET"
        pages.append(row)
    return {"minimal_runs": [run.summary() for run in minimal_runs], "pages": pages}


# --- Report --------------------------------------------------------------------------------


def print_report(settings: Settings, results: dict) -> None:
    print()
    print("MPP catalog benchmark")
    print(f"  server: {settings.server}; {settings.workers} workers x {settings.threads} threads")
    print(
        f"  load: {settings.clients} keep-alive client threads, {settings.requests} requests "
        f"per measurement (max {settings.max_seconds:.0f} s), {settings.warmup} warm-up"
    )
    print(f"  data: {settings.data}; {settings.services} services; DB {settings.database}")
    print(f"  page cache (mpp.core.cache): {settings.page_cache}")
    print(f"  machine: {settings.cpus} CPUs, Python {settings.python}")
    minimal = [run["rps"] for run in results["minimal_runs"]]
    print(f"  minimal view runs (req/s): {', '.join(f'{rps:.0f}' for rps in minimal)}")
    print()
    header = f"{'page':<14} {'path':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
    print(header + f" {'ratio':>6}  verdict")
    print("-" * (len(header) + 22))
    for row in results["pages"]:
        print(
            f"{row['name']:<14} {row['path'][:34]:<34} {row['rps']:>8.0f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['errors']:>6} {row['ratio']:>6.2f}  "
            f"{row.get('verdict', '')}"
        )
    print()
    print(f"Target: ratio >= {TARGET_RATIO} for {' and '.join(TARGETED)}.")


def parse_args() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MPP_WEB_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("MPP_WEB_THREADS", 4)))
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up requests per URL")
    parser.add_argument("--max-seconds", type=float, default=60, help="cap per measurement")
    parser.add_argument("--min-services", type=int, default=200, help="top up to this many")
    parser.add_argument("--data", choices=("auto", "demo", "generated"), default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--page-cache",
        choices=("on", "off"),
        default="on",
        help="off measures every request rendered from the database (MPP_PAGE_CACHE_SECONDS=0)",
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 100_000):
        parser.error("clients must be 1..64 and requests 1..100000")
    settings = Settings(
        workers=args.workers,
        threads=args.threads,
        clients=args.clients,
        requests=args.requests,
        warmup=args.warmup,
        max_seconds=args.max_seconds,
        min_services=args.min_services,
        data=args.data,
        keep=args.keep,
        page_cache=args.page_cache,
    )
    return settings


def main() -> int:
    settings = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mpp-bench-"))
    env = bench_env(tmp, settings.page_cache)
    server = None
    try:
        print(f"bench: preparing a temporary site in {tmp}")
        slug = prepare(env, settings)
        port = free_port()
        server = start_server(env, port, settings, tmp / "gunicorn.log")
        wait_until_up(port, server)
        targets = [
            ("home", "/"),
            ("search", "/layanan/?q=akta+lahir"),
            ("service page", f"/layanan/{slug}/"),
            ("API list", "/api/v1/services?page_size=20"),
        ]
        print(f"bench: gunicorn on {HOST}:{port}; measuring {len(targets)} pages")
        results = run_suite(port, targets, settings)
    finally:
        if server is not None:
            stop_server(server)
        if settings.keep:
            print(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print_report(settings, results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {k: v for k, v in asdict(settings).items() if k != "keep"},
        **results,
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"Results written to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
