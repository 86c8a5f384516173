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
import json
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from _common import (
    BIN,
    HOST,
    MINIMAL,
    ROOT,
    bench_env,
    fetch,
    free_port,
    manage,
    measure,
    must,
    must_output,
    run,
    save_results,
    start_server,
    stop_server,
    wait_until_up,
)

TARGET_RATIO = 0.5
TARGETED = ("service page", "API list")

DATA_SCRIPT = str(ROOT / "bench" / "bench_data.py")


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
    save_results("latest.json", settings, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
