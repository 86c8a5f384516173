"""Data steps of the application benchmark, run in a subprocess with the server's environment.

python bench/application_data.py citizens N   # N signed-in citizens: print JSON session keys
python bench/application_data.py forms        # print JSON: the demo online services' forms
python bench/application_data.py count        # print JSON: applications, notifications, tasks

The citizens are made as mpp.accounts.testing.make_citizen does (verified e-mail, a NIK
profile born 1 Jan 1990), without a usable password: each one is signed in by a session
written here with Django's SessionStore, as a successful POST /akun/masuk/ would write it.
"""

import base64
import datetime as dt
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from mpp.accounts.models import CitizenProfile, User  # noqa: E402
from mpp.accounts.nik import check_nik  # noqa: E402
from mpp.applications.demo import DEMO_ONLINE_SERVICES, sample_form  # noqa: E402
from mpp.applications.models import Application, Status  # noqa: E402
from mpp.catalog.models import Service  # noqa: E402
from mpp.core.models import Notification  # noqa: E402

BIRTH = "010190"  # DDMMYY of 1 January 1990, a man: matches the profile below
BIRTH_DATE = dt.date(1990, 1, 1)
SIGN_IN_BACKEND = "mpp.accounts.backends.IdentifierBackend"


def bench_nik(i: int) -> str:
    """A valid Kota Malang NIK: 3573, kecamatan 01..05, birth date, serial 0001..9999.

    Kecamatan and serial both vary with i, so 5 x 9,999 citizens fit; none equals the
    demo's sample answer (DEMO_NIK) or a demo citizen's NIK.
    """
    kecamatan, serial = i % 5 + 1, i // 5 + 101
    if serial > 9999:
        raise SystemExit("bench: too many citizens for the NIK serials")
    return f"3573{kecamatan:02d}{BIRTH}{serial:04d}"


@transaction.atomic
def citizens(count: int) -> list[str]:
    """`count` verified citizens with a NIK profile, each with a signed-in session."""
    backend = SIGN_IN_BACKEND
    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = settings.AUTHENTICATION_BACKENDS[-1]
    keys = []
    start = User.objects.filter(username__startswith="bench-warga-").count()
    for i in range(start, start + count):
        nik = bench_nik(i)
        problems = check_nik(nik, birth_date=BIRTH_DATE, sex="M")
        if problems:
            raise SystemExit(f"bench: NIK {nik} is not valid: {problems}")
        user = User.objects.create_user(
            username=f"bench-warga-{i:05d}",
            email=f"bench-warga-{i:05d}@contoh.id",
            password=None,  # unusable: signed in by the session below
            full_name=f"Warga Uji {i}",
            email_verified_at=timezone.now(),
        )
        CitizenProfile.objects.create(user=user, nik=nik, birth_date=BIRTH_DATE, sex="M")
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def forms() -> list[dict]:
    """Per demo online service: the form's answers and uploads (mpp.applications.demo)."""
    out = []
    for slug, agency in DEMO_ONLINE_SERVICES:
        service = (
            Service.objects.select_related("current_standard", "agency").filter(slug=slug).first()
        )
        if service is None or not service.is_online or service.current_standard is None:
            out.append({"slug": slug, "agency": agency, "available": False})
            continue
        answers, uploads = sample_form(service)
        out.append(
            {
                "slug": slug,
                "agency": agency,
                "name": service.name,
                "available": True,
                "fields": {k: ("on" if v is True else str(v)) for k, v in answers.items()},
                "files": [
                    {
                        "field": code,
                        "filename": file.name,
                        "content_type": file.content_type,
                        "content": base64.b64encode(file.read()).decode(),
                    }
                    for code, file in uploads.items()
                ],
            }
        )
    return out


def count() -> dict:
    """What the run left in the database, and which database it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            version = "SQLite " + cursor.fetchone()[0]
    submitted = Application.objects.exclude(status=Status.DRAFT)
    return {
        "database": version,
        "submitted": submitted.count(),
        "numbers": submitted.exclude(number=None).values("number").distinct().count(),
        "drafts": Application.objects.filter(status=Status.DRAFT).count(),
        "notifications_pending": Notification.objects.filter(status="pending").count(),
        "tasks_queued": dict(
            DBTaskResult.objects.filter(status="READY")
            .values_list("task_path")
            .annotate(n=Count("id"))
            .order_by("task_path")
        ),
    }


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["citizens"]:
        print(json.dumps({"sessions": citizens(int(sys.argv[2]))}))
    elif command == ["forms"]:
        print(json.dumps({"services": forms()}))
    elif command == ["count"]:
        print(json.dumps(count()))
    else:
        sys.exit(__doc__)
