"""Booking surge: many citizens' apps book the same slots at once through the JSON API.

Starts the real server (gunicorn gthread workers as in bin/serve, plus one task worker) on a
loopback port against a fresh PostgreSQL database, creates at least 300 slots and the
citizens, signs each citizen in through POST /api/v1/auth/token, then fires the booking
attempts (with repeats by the same NIKs) from N concurrent virtual users. It prints the
accepted bookings (must equal the capacity), the violations of any rule found in the
database afterwards (must be 0), throughput, p50/p99 latency, and the throughput as a
ratio to the minimal view measured by the same server in the same run.

Bounded: at most --attempts requests and --max-seconds per phase; loopback only. A report,
not a test: it exits 0 whatever the figures (1 only if it cannot run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _common import (  # noqa: E402
    BIN,
    HOST,
    MINIMAL,
    RESULTS,
    free_port,
    must,
    stop_server,
    wait_until_up,
)

PASSWORD = "surge-Benchmark-2026"  # noqa: S105 (invented accounts of a throw-away database)


@dataclass
class Settings:
    workers: int
    threads: int
    users: int
    accounts: int
    attempts: int
    services: int
    max_seconds: float
    seed: int
    signins: int = 0  # citizens signing in through the API; the rest get tokens at set-up
    database: str = ""
    cache: str = ""
    rate_account: str = "100/m"
    rate_ip: str = "1000000/m"
    max_per_day: int = 3
    cpus: int = os.cpu_count() or 1
    python: str = sys.version.split()[0]


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    outcomes: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def summary(self) -> dict:
        return {
            "name": self.name,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "outcomes": dict(self.outcomes),
        }


# --- Inside the site (run as child processes with the site's environment) ---------------------


def _django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def child_setup(services: int, accounts: int, signins: int) -> None:
    """Hours, one agency, `services` queued services with one counter each, the citizens
    (verified, one shared password hash), slots for the next three working days.

    The first `signins` citizens sign in through POST /auth/token (its own phase, before
    the surge); the others get their bearer token here, stored hashed exactly as the API
    stores it (Argon2 makes each sign-in cost ~0.3 s on a busy 2-core machine)."""
    _django()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from mpp.accounts.models import CitizenProfile, User
    from mpp.catalog.testing import make_agency
    from mpp.queueing import capacity
    from mpp.queueing.models import Slot
    from mpp.queueing.testing import make_hours, make_queue_service

    make_hours(opens="08:00", closes="15:00", break_=("12:00", "13:00"))
    agency = make_agency(slug="dukcapil-surge", name="Dukcapil (surge)", short_name="Dukcapil")
    queued = [
        make_queue_service(
            agency=agency,
            prefix=chr(ord("A") + n),
            counters=1,
            service_minutes=20,
            slot_minutes=30,
            online_percent=100,
            name=f"Layanan surge {n + 1}",
        )
        for n in range(services)
    ]
    today = timezone.localdate()
    days = [d for d in capacity.bookable_days() if d > today][:3]
    for service in queued:
        for day in days:
            capacity.ensure_slots(service, day)
    password = make_password(PASSWORD)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                username=f"surge{n}",
                email=f"surge{n}@contoh.id",
                password=password,
                full_name=f"Warga Surge {n}",
                email_verified_at=now,
            )
            for n in range(accounts)
        ]
    )
    CitizenProfile.objects.bulk_create(
        [
            CitizenProfile(
                user=user, nik=f"357301010190{n:04d}", birth_date=dt.date(1990, 1, 1), sex="F"
            )
            for n, user in enumerate(users)
        ]
    )
    from mpp.queueing.models import CitizenApiToken
    from mpp.queueing.services.tokens import TOKEN_PREFIX, _hash

    tokens = {}
    for user in users[signins:]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        tokens[user.email] = raw
    CitizenApiToken.objects.bulk_create(
        [
            CitizenApiToken(
                user=u,
                token_hash=_hash(tokens[u.email]),
                prefix=tokens[u.email][:8],
                expires_at=now + dt.timedelta(days=1),
            )
            for u in users[signins:]
        ]
    )
    slots = Slot.objects.filter(service__in=queued)
    print(
        json.dumps(
            {
                "services": [s.service.slug for s in queued],
                "days": [d.isoformat() for d in days],
                "times": sorted({s.starts_at.strftime("%H:%M") for s in slots}),
                "slots": slots.count(),
                "capacity": sum(s.capacity for s in slots),
                "emails": [u.email for u in users],
                "signins": [u.email for u in users[:signins]],
                "tokens": tokens,
            }
        )
    )


def child_verify() -> None:
    """Count rule violations in the database after the surge."""
    _django()
    from django.db.models import Count, F, Q

    from mpp.queueing.models import Booking, PersonDay, Slot

    active = Q(status__in=("active", "checked_in"))
    over = Slot.objects.filter(booked__gt=F("capacity")).count()
    miscounted = (
        Slot.objects.annotate(n=Count("bookings", filter=Q(bookings__status="active")))
        .exclude(n=F("booked"))
        .count()
    )
    per_nik = (
        Booking.objects.filter(active)
        .values("nik", "service", "date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    limit = int(os.environ["MPP_QUEUE_MAX_PER_DAY"])
    per_day = (
        Booking.objects.filter(active)
        .values("nik", "date")
        .annotate(n=Count("pk"))
        .filter(n__gt=limit)
        .count()
    )
    person_days = PersonDay.objects.filter(active__gt=F("limit")).count()
    print(
        json.dumps(
            {
                "active_bookings": Booking.objects.filter(active).count(),
                "violations": {
                    "slot_over_capacity": over,
                    "slot_counter_mismatch": miscounted,
                    "more_than_one_per_nik_service_day": per_nik,
                    "more_than_limit_per_nik_day": per_day,
                    "person_day_over_limit": person_days,
                },
            }
        )
    )


# --- The driver --------------------------------------------------------------------------------


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def site_env(tmp: Path, database_url: str, settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        {
            "MPP_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": database_url,
            "MPP_STATIC_ROOT": str(tmp / "static"),
            "MPP_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "MPP_ALLOWED_HOSTS": f"{HOST},localhost",
            "MPP_BENCH_VIEWS": "1",
            "MPP_HTTPS": "0",
            "MPP_LOG_LEVEL": "WARNING",
            "EMAIL_URL": "locmem://",
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "MPP_RATE_BOOKING_ACCOUNT": settings.rate_account,
            "MPP_RATE_BOOKING_IP": settings.rate_ip,
            "MPP_RATE_API_TOKEN": "1000000/h",
            "MPP_QUEUE_MAX_PER_DAY": str(settings.max_per_day),
            "MPP_LOCKOUT_FAILURES": "1000000",
        }
    )
    if settings.cache.startswith("redis"):
        env["REDIS_URL"] = settings.cache
    return env


def child(env: dict[str, str], *args: str, timeout: float = 900) -> dict:
    result = subprocess.run(
        [str(BIN / "python"), str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    must(result, " ".join(args))
    return json.loads(result.stdout.strip().splitlines()[-1])


def start(env: dict[str, str], port: int, settings: Settings, tmp: Path):
    log = (tmp / "server.log").open("wb")
    web = subprocess.Popen(
        [
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
            "--graceful-timeout",
            "10",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return web, worker


def request(conn, method: str, path: str, body: dict | None = None, token: str = ""):
    headers = {"Accept-Language": "id"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    return response.status, response.read(), response.will_close


def run_phase(name: str, port: int, jobs: list, users: int, deadline_s: float) -> Phase:
    """Run jobs (callables taking a connection, returning an outcome label) from `users`
    keep-alive client threads; stop early at the deadline."""
    phase = Phase(name)
    lock = threading.Lock()
    cursor = iter(range(len(jobs)))
    deadline = time.monotonic() + deadline_s

    def vu() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        latencies, outcomes = [], Counter()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None or time.monotonic() > deadline:
                break
            began = time.perf_counter()
            try:
                outcome, close = jobs[index](conn)
                if close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                outcome = f"network:{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
            latencies.append((time.perf_counter() - began) * 1000)
            outcomes[outcome] += 1
        conn.close()
        with lock:
            phase.latencies_ms.extend(latencies)
            phase.outcomes.update(outcomes)

    threads = [threading.Thread(target=vu) for _ in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.perf_counter() - started
    return phase


def minimal_job(conn):
    status, _body, close = request(conn, "GET", MINIMAL)
    return ("ok" if status == 200 else f"http:{status}"), close


def token_job(email: str, tokens: dict):
    def job(conn):
        status, body, close = request(
            conn, "POST", "/api/v1/auth/token", {"identifier": email, "password": PASSWORD}
        )
        if status == 201:
            tokens[email] = json.loads(body)["token"]
        return ("token" if status == 201 else f"http:{status}"), close

    return job


def booking_job(token: str, payload: dict):
    def job(conn):
        status, body, close = request(conn, "POST", "/api/v1/queue/bookings", payload, token)
        if status == 201:
            return "accepted", close
        try:
            kind = json.loads(body).get("type", "").rsplit("/", 1)[-1]
        except ValueError:
            kind = "unparsable"
        return f"{status}:{kind}", close

    return job


def parse_args() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--users", type=int, default=200, help="concurrent virtual users")
    parser.add_argument("--accounts", type=int, default=600, help="citizens (NIKs)")
    parser.add_argument("--attempts", type=int, default=10_000, help="booking attempts")
    parser.add_argument("--services", type=int, default=9, help="queued services (slots ×12×3)")
    parser.add_argument("--max-seconds", type=float, default=600, help="cap per phase")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--signins",
        type=int,
        default=None,
        help="citizens who sign in through POST /auth/token (default: all); the others get "
        "their token at set-up, which keeps Argon2 out of a quick run",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MPP_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL URL whose user may create databases (a fresh one is made)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not (1 <= args.users <= 400 and 1 <= args.attempts <= 50_000 and args.accounts >= 1):
        parser.error("users 1..400, attempts 1..50000")
    settings = Settings(
        workers=args.workers,
        threads=args.threads,
        users=args.users,
        accounts=args.accounts,
        attempts=args.attempts,
        services=args.services,
        max_seconds=args.max_seconds,
        seed=args.seed,
    )
    settings.signins = args.accounts if args.signins is None else min(args.signins, args.accounts)
    settings.database = args.database_url
    # Redis needs the optional `redis` client package; without it each web process counts
    # its own rate limits (the limits are set high here: every virtual user shares one IP).
    try:
        import redis  # noqa: F401

        usable = redis_reachable()
    except ImportError:
        usable = False
    settings.cache = "redis://127.0.0.1:6379/14" if usable else "locmem (per process)"
    settings.keep = args.keep  # type: ignore[attr-defined]
    return settings


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_setup":
        child_setup(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "_verify":
        child_verify()
        return 0
    settings = parse_args()
    admin_url = settings.database
    name = f"mpp_surge_{secrets.token_hex(4)}"
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    tmp = Path(tempfile.mkdtemp(prefix="mpp-surge-"))
    env = site_env(tmp, database_url, settings)
    web = worker = None
    pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        print(f"bench: database {name}, site in {tmp}")
        for step in (
            ["migrate", "--noinput", "-v", "0"],
            ["collectstatic", "--noinput", "-v", "0"],
        ):
            result = subprocess.run(
                [str(BIN / "python"), "manage.py", *step],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            must(result, step[0])
        data = child(
            env, "_setup", str(settings.services), str(settings.accounts), str(settings.signins)
        )
        print(f"bench: {data['slots']} slots, capacity {data['capacity']}, days {data['days']}")
        port = free_port()
        web, worker = start(env, port, settings, tmp)
        wait_until_up(port, web)
        rng = random.Random(settings.seed)
        tokens: dict[str, str] = dict(data["tokens"])
        signin = run_phase(
            "sign-in",
            port,
            [token_job(e, tokens) for e in data["signins"]],
            settings.users,
            settings.max_seconds,
        )
        print(f"bench: {signin.requests} sign-ins in {signin.seconds:.1f} s")
        run_phase("warm-up", port, [minimal_job] * 2000, settings.users, settings.max_seconds)
        minimal_before = run_phase(
            "minimal",
            port,
            [minimal_job] * settings.attempts,
            settings.users,
            settings.max_seconds,
        )
        # Each virtual user owns a few citizens and retries: many repeats by the same NIKs.
        emails = [e for e in data["emails"] if e in tokens]
        jobs = []
        for _ in range(settings.attempts):
            payload = {
                "service": rng.choice(data["services"]),
                "date": rng.choice(data["days"]),
                "time": rng.choice(data["times"]),
            }
            jobs.append(booking_job(tokens[rng.choice(emails)], payload))
        surge = run_phase("booking surge", port, jobs, settings.users, settings.max_seconds)
        minimal_after = run_phase(
            "minimal",
            port,
            [minimal_job] * settings.attempts,
            settings.users,
            settings.max_seconds,
        )
        checked = child(env, "_verify")
    finally:
        for process in (web, worker):
            if process is not None:
                stop_server(process)
        try:
            pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as exc:  # the report matters more than the clean-up
            print(f"bench: could not drop {name}: {exc}")
        if getattr(settings, "keep", False):
            print(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    report(settings, data, signin, minimal_before, surge, minimal_after, checked)
    return 0


def report(settings, data, signin, before, surge, after, checked) -> None:
    ceiling = statistics.mean([before.rps, after.rps])
    accepted = surge.outcomes.get("accepted", 0)
    violations = sum(checked["violations"].values())
    print()
    print("MPP booking surge benchmark")
    print(
        f"  server: gunicorn gthread {settings.workers} workers x {settings.threads} threads "
        f"+ 1 db_worker, DEBUG off; PostgreSQL; cache/rate limits: {settings.cache}"
    )
    print(
        f"  load: {settings.users} concurrent virtual users, {settings.attempts} booking attempts "
        f"by {len(data['emails'])} citizens (NIKs), seed {settings.seed}"
    )
    print(
        f"  rules: max {settings.max_per_day} per NIK per day, 1 per NIK/service/day; rate "
        f"limits per account {settings.rate_account}, per IP {settings.rate_ip} (all users "
        f"share 127.0.0.1)"
    )
    print(f"  slots: {data['slots']} over {len(data['days'])} days; capacity {data['capacity']}")
    print(f"  machine: {settings.cpus} CPUs, Python {settings.python}")
    print()
    print(
        f"  accepted bookings:   {accepted}  (capacity {data['capacity']}; "
        f"{'EQUAL' if accepted == data['capacity'] else 'DIFFERENT'}), "
        f"active in database {checked['active_bookings']}"
    )
    print(f"  rule violations:     {violations}  {checked['violations']}")
    print(f"  refusals:            {dict(sorted(surge.outcomes.items()))}")
    print(f"  throughput:          {surge.rps:.0f} attempts/s over {surge.seconds:.1f} s")
    print(
        f"  latency:             p50 {surge.percentile(0.5):.0f} ms, "
        f"p99 {surge.percentile(0.99):.0f} ms"
    )
    print(
        f"  minimal view:        {before.rps:.0f} and {after.rps:.0f} req/s "
        f"(p50 {before.percentile(0.5):.0f} ms)"
    )
    print(f"  ratio to minimal:    {surge.rps / ceiling:.3f}" if ceiling else "  ratio: n/a")
    print(
        f"  sign-in (tokens):    {signin.summary()['rps']} req/s, p50 "
        f"{signin.percentile(0.5):.0f} ms"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "ran_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {k: v for k, v in asdict(settings).items() if k != "database"},
        "data": {k: v for k, v in data.items() if k not in ("emails", "signins", "tokens")},
        "phases": [p.summary() for p in (signin, before, surge, after)],
        "accepted": accepted,
        "ratio": round(surge.rps / ceiling, 3) if ceiling else None,
        **checked,
    }
    (RESULTS / "booking_surge.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"Results written to {(RESULTS / 'booking_surge.json').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
