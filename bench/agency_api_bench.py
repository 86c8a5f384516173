"""Agency API benchmark: latency of GET /api/v1/agency/applications with 10,000 cases.

Starts the real server (gunicorn gthread, DEBUG off) on a free loopback port with a
temporary SQLite database (or --database postgres), loads the demo services, writes N
submitted applications of one agency straight into the database (bench/agency_api_data.py:
bulk inserts, not the submission flow, which bench/application_bench.py measures) and an API
client with the read scope. Then, from `--clients` keep-alive threads with the bearer token:
the first page, a status filter, an incremental sync (`updated_since`), a page deep in the
cursor chain and one case's detail; each between two runs of the minimal view, reported as
p50/p95 latency and the throughput ratio to the minimal view.

A report, not a test: exits 0 whatever the figures (1 only if it cannot run).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

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
    temporary_postgres,
    wait_until_up,
)

DATA_SCRIPT = str(ROOT / "bench" / "agency_api_data.py")


@dataclass
class Settings:
    applications: int = 10_000
    clients: int = 8
    requests: int = 600
    workers: int = 2
    threads: int = 4
    max_seconds: float = 120.0
    database: str = "sqlite"
    keep: bool = False
    db: str = "SQLite, temporary file"


def parse_args() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=600, help="requests per measurement")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    return Settings(
        applications=max(1, min(args.applications, 200_000)),
        clients=max(1, min(args.clients, 64)),
        requests=max(10, min(args.requests, 20_000)),
        workers=args.workers,
        threads=args.threads,
        max_seconds=max(5.0, min(args.max_seconds, 600.0)),
        database=args.database,
        keep=args.keep,
    )


def main() -> int:
    settings = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mpp-bench-agency-"))
    rows = []
    with contextlib.ExitStack() as stack:
        database_url = ""
        if settings.database == "postgres":
            database_url = stack.enter_context(temporary_postgres())
            settings.db = "PostgreSQL, temporary database on 127.0.0.1:5432, dropped after"
        env = bench_env(tmp, database_url=database_url)
        try:
            print(f"bench: preparing {settings.applications} applications in {tmp}")
            must(manage(env, "migrate", "--noinput", "-v", "0"), "migrate")
            must(manage(env, "seed_demo", "--no-accounts"), "seed_demo --no-accounts")
            result = run(
                [str(BIN / "python"), DATA_SCRIPT, str(settings.applications)], env, timeout=900
            )
            info = json.loads(must_output(result))
            auth = {"Authorization": f"Bearer {info['token']}"}
            port = free_port()
            server = start_server(env, port, settings, tmp / "gunicorn.log")
            try:
                wait_until_up(port, server)
                status, body = fetch(port, "/api/v1/agency/applications?limit=1", auth)
                if status != 200:
                    raise SystemExit(f"bench: the agency API answered {status}: {body[:200]!r}")
                since = quote(info["updated_since"])
                paths = [
                    ("first page (50)", "/api/v1/agency/applications?limit=50"),
                    ("status filter", "/api/v1/agency/applications?status=verification&limit=50"),
                    ("updated_since sync", f"/api/v1/agency/applications?updated_since={since}"),
                    ("deep cursor page", f"/api/v1/agency/applications?cursor={info['cursor']}"),
                    ("one case detail", f"/api/v1/agency/applications/{info['case']}"),
                ]
                measure(port, "warm-up", MINIMAL, settings, 200)
                for name, path in paths:
                    measure(port, "warm-up", path, settings, 50, auth)
                    before = measure(port, "minimal", MINIMAL, settings, settings.requests)
                    timed = measure(port, name, path, settings, settings.requests, auth)
                    after = measure(port, "minimal", MINIMAL, settings, settings.requests)
                    ceiling = statistics.mean([before.rps, after.rps])
                    rows.append({**timed.summary(), "ratio": round(timed.rps / ceiling, 3)})
                    rows[-1]["minimal_rps"] = round(ceiling, 1)
            finally:
                stop_server(server)
        finally:
            if settings.keep:
                print(f"bench: kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"\nAgency API, {settings.applications} applications of one agency; {settings.db}; "
        f"gunicorn {settings.workers}×{settings.threads} on {HOST}; {settings.clients} clients"
    )
    print(f"{'measurement':<22}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'ratio':>8}")
    for row in rows:
        print(
            f"{row['name']:<22}{row['rps']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}"
            f"{row['errors']:>8}{row['ratio']:>8}"
        )
    print("ratio = requests/s of the measurement ÷ mean of the minimal view before and after")
    save_results("agency-api-latest.json", settings, {"measurements": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
