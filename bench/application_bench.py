"""Application benchmark: online applications submitted per second by concurrent citizens.

Starts the real server (gunicorn, gthread workers, DEBUG off, collected static files) on a free
loopback port with a temporary SQLite database (or a temporary PostgreSQL database), loads the
demo services and signed-in citizens, and has N citizens at a time apply over HTTP as a browser
does: the start page, start, the form, save answers with uploads, the check page, submit, the
confirmation. Reports submissions per second, p50/p95 of each request (the submit POST on its
own) and the ratio to the minimal view measured before and after in the same run.

This is a report, not a test: it exits 0 whatever the figures (1 only if it cannot run).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import math
import os
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from _common import (
    BIN,
    HOST,
    MINIMAL,
    ROOT,
    Measurement,
    bench_env,
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

DATA_SCRIPT = str(ROOT / "bench" / "application_data.py")
RESULTS_FILE = "applications-latest.json"
TIMEOUT = 60  # seconds per request: a write may wait for the database lock
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TAG = re.compile(r"<[^>]*>")
# (step, method, path pattern, expected status): one application, in order.
STEPS = (
    ("start form", "GET", "/permohonan/ajukan/<slug>/", 200),
    ("start", "POST", "/permohonan/ajukan/<slug>/", 302),
    ("edit form", "GET", "/permohonan/<id>/isi/", 200),
    ("save answers", "POST", "/permohonan/<id>/isi/ (multipart)", 302),
    ("check page", "GET", "/permohonan/<id>/periksa/", 200),
    ("submit", "POST", "/permohonan/<id>/periksa/", 302),
    ("confirmation", "GET", "/permohonan/<id>/terkirim/", 200),
)
SIGN_IN = (
    "sessions written in the DB with Django's SessionStore by bench/application_data.py, "
    "as a successful POST /akun/masuk/ writes them (sign-in itself, its Argon2 hash and its "
    "rate limit MPP_RATE_SIGNIN are not measured)"
)


@dataclass
class Settings:
    workers: int
    threads: int
    clients: int
    submissions: int
    requests: int
    warmup: int
    max_seconds: float
    database: str = "sqlite"
    keep: bool = False
    citizens: int = 0
    services: list[str] = field(default_factory=list)
    sign_in: str = SIGN_IN
    worker: str = "db_worker not started: notification e-mails stay queued in the DB"
    db: str = "SQLite (temporary file, WAL)"
    db_conn_max_age: str = os.environ.get("MPP_DB_CONN_MAX_AGE", "60")
    session_idle_seconds: str = os.environ.get("MPP_SESSION_IDLE_SECONDS", str(30 * 60))
    server: str = "gunicorn gthread, DEBUG off, whitenoise, collectstatic into a temp dir"
    cpus: int = os.cpu_count() or 1
    python: str = sys.version.split()[0]
    load_average: float = round(os.getloadavg()[0], 2)  # other work skews every figure


# --- Data ----------------------------------------------------------------------------------


def data(env: dict[str, str], *args: str) -> dict:
    return json.loads(must_output(run([str(BIN / "python"), DATA_SCRIPT, *args], env)))


def prepare(env: dict[str, str], settings: Settings) -> tuple[list[dict], list[str]]:
    """Migrate, collect static files, load the demo services and the citizens; return the
    services' forms and the citizens' session keys."""
    must(manage(env, "migrate", "--noinput", "-v", "0"), "migrate")
    must(manage(env, "collectstatic", "--noinput", "-v", "0"), "collectstatic")
    must(manage(env, "seed_demo", "--no-accounts"), "seed_demo --no-accounts")
    forms = [form for form in data(env, "forms")["services"] if form["available"]]
    if not forms:
        sys.stderr.write("bench: none of the demo online services is available to apply for\n")
        raise SystemExit(1)
    for form in forms:
        for file in form["files"]:
            file["data"] = base64.b64decode(file.pop("content"))
    settings.services = [form["slug"] for form in forms]
    # Each citizen applies for each service once; `clients` more than needed, so that no
    # client runs out of citizens before the last submission.
    settings.citizens = math.ceil(settings.submissions / len(forms)) + settings.clients
    warm = math.ceil(settings.warmup / len(forms)) if settings.warmup else 0
    sessions = data(env, "citizens", str(warm + settings.citizens))["sessions"]
    return forms, sessions


# --- A citizen's browser -------------------------------------------------------------------


class Failed(Exception):
    """A step answered something else than a browser following the flow expects."""

    def __init__(self, step: str, status: int, body: bytes = b"") -> None:
        super().__init__(step)
        self.step, self.status, self.body = step, status, body


class Browser:
    """One citizen: a keep-alive connection with its cookies (session, CSRF), following
    the application flow like a browser and timing each request."""

    def __init__(self, port: int, session_key: str) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        self.cookies = {"sessionid": session_key}

    def close(self) -> None:
        self.conn.close()

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, str, bytes, float]:
        """(status, Location, body, milliseconds); status 0 when the connection failed."""
        headers = {
            "Accept-Language": "id",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if content_type:
            headers["Content-Type"] = content_type
        began = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
            return 0, "", repr(exc).encode(), (time.perf_counter() - began) * 1000
        elapsed = (time.perf_counter() - began) * 1000
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:  # deleted (the messages cookie once read)
                    self.cookies.pop(name, None)
        if response.will_close:
            self.conn.close()
        location = urlsplit(response.getheader("Location", "")).path
        return response.status, location, content, elapsed


def csrf_token(body: bytes) -> str:
    found = CSRF_INPUT.search(body)
    return found.group(1).decode() if found else ""


def page_text(body: bytes, limit: int = 300) -> str:
    """The readable text of an answer, from its error summary or <main>, for failure reports."""
    text = body.decode("utf-8", "replace")
    found = [at for at in (text.find('<div class="error-summary"'), text.find("<main")) if at >= 0]
    text = TAG.sub(" ", text[found[0] :] if found else text)
    return " ".join(text.split())[:limit]


def multipart(fields: dict[str, str], files: list[dict]) -> tuple[bytes, str]:
    boundary = f"mpp-bench-{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for file in files:
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{file["field"]}"; filename="{file["filename"]}"\r\n'
            f"Content-Type: {file['content_type']}\r\n\r\n"
        )
        parts.append(head.encode() + file["data"] + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


FORM = "application/x-www-form-urlencoded"


def apply(browser: Browser, form: dict, times: dict[str, float]) -> None:
    """One application, start to confirmation; each request's time goes into `times`.
    Raises Failed at the first unexpected answer."""

    def step(name: str, method: str, path: str, expected: int, body=None, kind="") -> tuple:
        status, location, content, ms = browser.request(method, path, body, kind)
        times[name] = ms
        if status != expected or (expected == 302 and not location):
            raise Failed(name, status, content)
        return location, content

    start = f"/permohonan/ajukan/{form['slug']}/"
    _, page = step("start form", "GET", start, 200)
    fields = {"csrfmiddlewaretoken": csrf_token(page), "untuk": ""}
    edit, _ = step("start", "POST", start, 302, urlencode(fields).encode(), FORM)
    _, page = step("edit form", "GET", edit, 200)
    fields = {"csrfmiddlewaretoken": csrf_token(page), **form["fields"], "lanjut": "1"}
    review, _ = step("save answers", "POST", edit, 302, *multipart(fields, form["files"]))
    _, page = step("check page", "GET", review, 200)
    fields = {"csrfmiddlewaretoken": csrf_token(page)}
    done, _ = step("submit", "POST", review, 302, urlencode(fields).encode(), FORM)
    if not done.endswith("/terkirim/"):
        raise Failed("submit", 302, f"redirected to {done}".encode())
    _, page = step("confirmation", "GET", done, 200)
    if b"MPP-" not in page:
        raise Failed("confirmation", 200, b"no application number on the page")


@dataclass
class FlowRun:
    name: str
    attempted: int = 0
    submitted: int = 0
    completed: int = 0
    seconds: float = 0.0
    steps: dict[str, Measurement] = field(default_factory=dict)
    flow_ms: list[float] = field(default_factory=list)
    submit_ms_by_service: dict[str, list[float]] = field(default_factory=dict)
    flow_ms_by_service: dict[str, list[float]] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)


def run_flows(
    port: int, name: str, forms: list[dict], sessions: list[str], total: int, settings: Settings
) -> FlowRun:
    """`clients` citizens at a time apply until `total` applications were started (or
    settings.max_seconds passed). A client takes the next citizen, who applies for each service
    once, starting with a different one than the previous citizen."""
    result = FlowRun(name)
    result.steps = {step: Measurement(step, path) for step, _m, path, _e in STEPS}
    lock = threading.Lock()
    queue = list(enumerate(sessions))
    issued = 0
    deadline = time.monotonic() + settings.max_seconds

    def take() -> bool:
        nonlocal issued
        with lock:
            if issued >= total or time.monotonic() > deadline:
                return False
            issued += 1
            return True

    def next_citizen() -> tuple[int, str] | None:
        with lock:
            return queue.pop(0) if queue else None

    def client() -> None:
        while (citizen := next_citizen()) is not None:
            number, session_key = citizen
            browser = Browser(port, session_key)
            try:
                for k in range(len(forms)):
                    if not take():
                        return
                    form = forms[(number + k) % len(forms)]
                    one(browser, form)
            finally:
                browser.close()

    def one(browser: Browser, form: dict) -> None:
        times: dict[str, float] = {}
        failure = None
        try:
            apply(browser, form, times)
        except Failed as exc:
            failure = exc
        with lock:
            result.attempted += 1
            for step, ms in times.items():
                result.steps[step].latencies_ms.append(ms)
            if failure is not None:
                result.steps[failure.step].errors += 1
                if len(result.failures) < 5:
                    result.failures.append(
                        {
                            "service": form["slug"],
                            "step": failure.step,
                            "status": failure.status,
                            "body": page_text(failure.body),
                        }
                    )
            if "submit" in times and (failure is None or failure.step == "confirmation"):
                result.submitted += 1
                result.submit_ms_by_service.setdefault(form["slug"], []).append(times["submit"])
            if failure is None:
                result.completed += 1
                flow = sum(times.values())
                result.flow_ms.append(flow)
                result.flow_ms_by_service.setdefault(form["slug"], []).append(flow)

    threads = [threading.Thread(target=client) for _ in range(min(settings.clients, len(sessions)))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    for measurement in result.steps.values():
        measurement.requests = len(measurement.latencies_ms)
        measurement.seconds = result.seconds
    return result


# --- Report --------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    return Measurement("", "", latencies_ms=values).percentile(q)


def summarise(flows: FlowRun, minimal_runs: list[Measurement], after_run: dict) -> dict:
    ceiling = statistics.mean(m.rps for m in minimal_runs)
    requests = sum(m.requests for m in flows.steps.values())
    submit = flows.steps["submit"]
    per_second = flows.submitted / flows.seconds if flows.seconds else 0.0
    http_rps = requests / flows.seconds if flows.seconds else 0.0
    return {
        "minimal_runs": [m.summary() for m in minimal_runs],
        "minimal_rps_mean": round(ceiling, 1),
        "steps": [
            {**m.summary(), "method": method, "expected_status": expected}
            for (_s, method, _p, expected), m in zip(STEPS, flows.steps.values(), strict=True)
        ],
        "applications": {
            "attempted": flows.attempted,
            "submitted": flows.submitted,
            "completed": flows.completed,
            "failed": flows.attempted - flows.completed,
            "seconds": round(flows.seconds, 3),
            "submissions_per_second": round(per_second, 2),
            "submit_p50_ms": round(submit.percentile(0.50), 2),
            "submit_p95_ms": round(submit.percentile(0.95), 2),
            "flow_p50_ms": round(pct(flows.flow_ms, 0.50), 2),
            "flow_p95_ms": round(pct(flows.flow_ms, 0.95), 2),
            "http_requests": requests,
            "http_rps": round(http_rps, 1),
            "ratio_submissions_to_minimal": round(per_second / ceiling, 5) if ceiling else 0.0,
            "ratio_http_to_minimal": round(http_rps / ceiling, 4) if ceiling else 0.0,
        },
        "by_service": [
            {
                "service": slug,
                "submitted": len(ms),
                "submit_p50_ms": round(pct(ms, 0.50), 2),
                "submit_p95_ms": round(pct(ms, 0.95), 2),
                "flow_p50_ms": round(pct(flows.flow_ms_by_service.get(slug, []), 0.50), 2),
                "flow_p95_ms": round(pct(flows.flow_ms_by_service.get(slug, []), 0.95), 2),
            }
            for slug, ms in sorted(flows.submit_ms_by_service.items())
        ],
        "failures": flows.failures,
        "database_after_run": after_run,
    }


def print_report(settings: Settings, results: dict, warm: FlowRun | None) -> None:
    apps = results["applications"]
    minimal = [m["rps"] for m in results["minimal_runs"]]
    after = results["database_after_run"]
    print()
    print("MPP application benchmark")
    print(f"  server: {settings.server}; {settings.workers} workers x {settings.threads} threads")
    print(f"  worker: {settings.worker}")
    print(
        f"  load: {settings.clients} citizens at a time (keep-alive client threads), "
        f"{settings.submissions} applications (max {settings.max_seconds:.0f} s), "
        f"{settings.warmup} warm-up applications; minimal view {settings.requests} requests "
        "per run"
    )
    print(
        f"  citizens: {settings.citizens} (+ warm-up), verified e-mail, NIK profile; each "
        f"applies for each service once: {', '.join(settings.services)}"
    )
    print(f"  sign-in: {settings.sign_in}")
    print(
        f"  DB: {settings.db} ({after.get('database', '?')}); "
        f"MPP_DB_CONN_MAX_AGE={settings.db_conn_max_age}, "
        f"MPP_SESSION_IDLE_SECONDS={settings.session_idle_seconds}"
    )
    print(
        f"  machine: {settings.cpus} CPUs, Python {settings.python}, load average "
        f"{settings.load_average} at start (1 min)"
    )
    if warm is not None:
        print(f"  warm-up: {warm.completed} of {warm.attempted} applications completed")
    print(
        f"  minimal view runs (req/s): before {minimal[0]:.0f}, after {minimal[-1]:.0f} "
        f"(mean {results['minimal_rps_mean']:.0f})"
    )
    print()
    header = f"{'step':<13} {'request':<48} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for row in results["steps"]:
        request = f"{row['method']:<4} {row['path']} -> {row['expected_status']}"
        print(
            f"{row['name']:<13} {request[:48]:<48} {row['requests']:>6} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['errors']:>6}"
        )
    print(
        f"{'application':<13} {f'all {len(STEPS)} requests, completed':<48} {apps['completed']:>6} "
        f"{apps['flow_p50_ms']:>8.1f} {apps['flow_p95_ms']:>8.1f} {apps['failed']:>6}"
    )
    print()
    header = (
        f"{'service':<26} {'submitted':>9} {'submit p50':>11} {'submit p95':>11} {'flow p50':>9}"
    )
    print(header + f" {'flow p95':>9}")
    print("-" * (len(header) + 10))
    for row in results["by_service"]:
        print(
            f"{row['service']:<26} {row['submitted']:>9} {row['submit_p50_ms']:>11.1f} "
            f"{row['submit_p95_ms']:>11.1f} {row['flow_p50_ms']:>9.1f} {row['flow_p95_ms']:>9.1f}"
        )
    print()
    ratio = apps["ratio_submissions_to_minimal"]
    print(
        f"Submissions: {apps['submitted']} in {apps['seconds']:.1f} s = "
        f"{apps['submissions_per_second']:.1f} submissions/s (whole applications, "
        f"{len(STEPS)} requests each: {apps['http_rps']:.0f} req/s)"
    )
    print(f"Submit POST: p50 {apps['submit_p50_ms']:.1f} ms, p95 {apps['submit_p95_ms']:.1f} ms")
    print(
        f"Ratio to the minimal view ({results['minimal_rps_mean']:.0f} req/s): "
        f"submissions/s {ratio:.4f} (one application costs ~{1 / ratio if ratio else 0:.0f} "
        f"minimal requests); requests/s of the flow {apps['ratio_http_to_minimal']:.3f}"
    )
    if after:
        expected = apps["submitted"] + (warm.submitted if warm else 0)
        print(
            f"In the DB afterwards: {after['submitted']} submitted applications "
            f"(warm-up and measured: {expected}; {after['numbers']} distinct numbers), "
            f"{after['drafts']} drafts, "
            f"{after['notifications_pending']} notifications pending; "
            "tasks queued: "
            + (", ".join(f"{n} {path}" for path, n in after["tasks_queued"].items()) or "none")
        )
    for failure in results["failures"]:
        print(
            f"  failed: {failure['service']} at {failure['step']}: {failure['status']} "
            f"{failure['body'][:160]}"
        )


def parse_args() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("MPP_WEB_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("MPP_WEB_THREADS", 4)))
    parser.add_argument("--clients", type=int, default=16, help="citizens applying at a time")
    parser.add_argument("--submissions", type=int, default=400, help="applications to submit")
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per minimal view measurement"
    )
    parser.add_argument("--warmup", type=int, default=10, help="warm-up applications")
    parser.add_argument("--max-seconds", type=float, default=300, help="cap per measurement")
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="postgres: a temporary database on 127.0.0.1:5432 (user postgres, trust)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.submissions <= 20_000):
        parser.error("clients must be 1..64 and submissions 1..20000")
    if not (1 <= args.requests <= 100_000 and 0 <= args.warmup <= 1000):
        parser.error("requests must be 1..100000 and warmup 0..1000")
    if not 1 <= args.max_seconds <= 1200:  # well within the sessions' 30-minute idle timeout
        parser.error("max-seconds must be 1..1200")
    return Settings(
        workers=args.workers,
        threads=args.threads,
        clients=args.clients,
        submissions=args.submissions,
        requests=args.requests,
        warmup=args.warmup,
        max_seconds=args.max_seconds,
        database=args.database,
        keep=args.keep,
    )


def main() -> int:
    settings = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="mpp-bench-applications-"))
    warm = None
    with contextlib.ExitStack() as stack:
        database_url = ""
        if settings.database == "postgres":
            database_url = stack.enter_context(temporary_postgres())
            name = database_url.rsplit("/", 1)[1]
            settings.db = f"PostgreSQL, temporary database {name} on 127.0.0.1:5432, dropped after"
        env = bench_env(tmp, database_url=database_url)
        try:
            print(f"bench: preparing a temporary site in {tmp} ({settings.database})")
            forms, sessions = prepare(env, settings)
            warm_sessions, sessions = sessions[: -settings.citizens], sessions[-settings.citizens :]
            port = free_port()
            server = start_server(env, port, settings, tmp / "gunicorn.log")
            try:
                wait_until_up(port, server)
                print(
                    f"bench: gunicorn on {HOST}:{port}; {settings.citizens} citizens, "
                    f"{len(forms)} services, {settings.submissions} applications"
                )
                measure(port, "warm-up", MINIMAL, settings, min(settings.requests, 200))
                if settings.warmup:
                    warm = run_flows(
                        port, "warm-up", forms, warm_sessions, settings.warmup, settings
                    )
                    if not warm.completed:
                        for failure in warm.failures:
                            sys.stderr.write(f"bench: warm-up failed: {failure}\n")
                        raise SystemExit("bench: no warm-up application went through")
                minimal_runs = [measure(port, "minimal", MINIMAL, settings, settings.requests)]
                flows = run_flows(
                    port, "applications", forms, sessions, settings.submissions, settings
                )
                minimal_runs.append(measure(port, "minimal", MINIMAL, settings, settings.requests))
            finally:
                stop_server(server)
            after_run = data(env, "count")
        finally:
            if settings.keep:
                print(f"bench: kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    results = summarise(flows, minimal_runs, after_run)
    print_report(settings, results, warm)
    save_results(RESULTS_FILE, settings, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
