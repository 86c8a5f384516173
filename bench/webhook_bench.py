"""Webhook benchmark: events delivered per second by the real worker to a local receiver.

In a temporary SQLite database (or --database-url), creates an agency with one webhook
subscription pointing at a threaded http.server on a free loopback port, records N domain
events (spread over S subjects) through `record_event`, then runs the real worker
(`manage.py db_worker --batch`, W processes) until every delivery is done: publish_event →
fan-out → deliver_due → signed CloudEvents POSTs. The receiver checks each signature and the
order per subject. Reported: events/s end to end, and the ratio to a bare loop that signs and
POSTs the same bodies from one thread (the floor cost of HTTP + signing on this machine).

Bounded: at most --events (default 1000) events and --max-seconds (120) of worker time; the
workers are stopped then. A report, not a test: exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"


class Receiver:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.count = 0
        self.bad_signatures = 0
        self.by_subject: dict[str, list[int]] = defaultdict(list)
        self.ids: set[str] = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                from mpp.interop import crypto

                ok = crypto.signature_matches(
                    receiver.secret,
                    msg_id=self.headers["webhook-id"],
                    timestamp=int(self.headers["webhook-timestamp"]),
                    body=body,
                    header=self.headers["webhook-signature"],
                )
                event = json.loads(body)
                with receiver.lock:
                    receiver.count += 1
                    receiver.bad_signatures += 0 if ok else 1
                    if self.headers["webhook-id"] not in receiver.ids:
                        receiver.ids.add(self.headers["webhook-id"])
                        receiver.by_subject[event["subject"]].append(event["data"]["n"])
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def bare_loop(url: str, secret: str, bodies: list[bytes]) -> float:
    """Signed POSTs of the same bodies from one thread: the floor of HTTP + signing."""
    from mpp.interop.outbox import post, signed_headers

    started = time.perf_counter()
    for n, body in enumerate(bodies):
        headers = signed_headers(secret, msg_id=f"bare_{n}", body=body, timestamp=int(time.time()))
        post(url, body, headers)
    return len(bodies) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subjects", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    args.events = max(1, min(args.events, 20_000))

    tmp = Path(tempfile.mkdtemp(prefix="mpp-webhook-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        {
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MPP_VAR_DIR": str(tmp / "var"),
            "MPP_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "MPP_WEBHOOK_ALLOW_INSECURE": "1",
            "MPP_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "mpp.settings",
        }
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from mpp.catalog.testing import make_agency
    from mpp.core.audit import record_event
    from mpp.interop import crypto
    from mpp.interop.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
    from mpp.interop.outbox import body_of

    DBTaskResult.objects.all().delete()
    agency = make_agency(slug=f"bench-{secrets.token_hex(3)}", name="Bench", short_name="B")
    secret = crypto.new_signing_secret()
    receiver = Receiver(secret)
    WebhookSubscription.objects.create(
        agency=agency, url=receiver.url, event_types=["*"], secret=crypto.seal(secret)
    )
    for n in range(args.events):
        with transaction.atomic():
            record_event(
                type="application.status_changed",
                subject=f"applications/B{n % args.subjects}",
                agency_id=agency.pk,
                data={"n": n, "status": "verified"},
            )
    from mpp.core.models import DomainEvent

    bodies = [body_of(e) for e in DomainEvent.objects.filter(agency_id=agency.pk)[:300]]
    bare_rate = bare_loop(receiver.url, secret, bodies)
    receiver.count, receiver.ids, receiver.by_subject = 0, set(), defaultdict(list)

    worker = [str(BIN / "python"), "manage.py", "db_worker", "--queue-name", "*", "--interval", "0"]
    started = time.perf_counter()
    procs = [
        subprocess.Popen([*worker, "--batch"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for _ in range(args.workers)
    ]
    deadline = started + args.max_seconds
    delivered = 0
    published_after = None
    while time.perf_counter() < deadline:
        if (
            published_after is None
            and not DomainEvent.objects.filter(published_at__isnull=True).exists()
        ):
            published_after = time.perf_counter() - started
        delivered = WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
        if delivered >= args.events or all(p.poll() is not None for p in procs):
            if delivered >= args.events:
                break
            # batch workers exited while timers remain (none expected); start another pass
            procs = [subprocess.Popen([*worker, "--batch"], cwd=ROOT, env=env) for _ in procs]
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    for p in procs:
        if p.poll() is None:
            p.terminate()
        p.wait(timeout=30)

    in_order = all(seq == sorted(seq) for seq in receiver.by_subject.values())
    result = {
        "events": args.events,
        "subjects": args.subjects,
        "workers": args.workers,
        "database": "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite file",
        "delivered": delivered,
        "seconds": round(elapsed, 2),
        "events_per_second": round(delivered / elapsed, 1),
        "all_published_after_seconds": round(published_after or elapsed, 2),
        "tasks_run": DBTaskResult.objects.filter(status="SUCCESSFUL").count(),
        "bare_signed_posts_per_second": round(bare_rate, 1),
        "ratio_to_bare": round((delivered / elapsed) / bare_rate, 3),
        "requests_received": receiver.count,
        "unique_webhook_ids": len(receiver.ids),
        "bad_signatures": receiver.bad_signatures,
        "in_order_per_subject": in_order,
        "cpus": os.cpu_count(),
    }
    for key, value in result.items():
        print(f"{key:>30}: {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "webhook_latest.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
