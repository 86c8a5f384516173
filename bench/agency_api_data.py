"""Data step of the agency API benchmark, run with the server's environment.

python bench/agency_api_data.py N   # N submitted applications of one agency + an API client

Writes the cases with bulk inserts (the submission flow is measured elsewhere), spreads
their statuses and change times, and prints JSON: the client's token, a cursor deep in the
chain, a time for `updated_since` that selects the newest 50, and one case's id.
"""

import datetime as dt
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from mpp.accounts.models import CitizenProfile, User  # noqa: E402
from mpp.agencies.models import CityRole  # noqa: E402
from mpp.applications.models import Application, Status  # noqa: E402
from mpp.catalog.models import Service  # noqa: E402
from mpp.interop.paging import encode_cursor  # noqa: E402
from mpp.interop.services import api_client_create  # noqa: E402

SERVICE = "akta-kelahiran"
STATUSES = [Status.SUBMITTED, Status.VERIFICATION, Status.PROCESSING, Status.APPROVED]
BATCH = 1000


def applicant() -> User:
    user, _ = User.objects.get_or_create(
        username="bench.applicant",
        defaults={"full_name": "Pemohon Uji", "email_verified_at": timezone.now()},
    )
    CitizenProfile.objects.get_or_create(
        user=user,
        defaults={"nik": "3573010101900001", "birth_date": dt.date(1990, 1, 1), "sex": "M"},
    )
    return user


def main(count: int) -> dict:
    service = Service.objects.select_related("current_standard").get(slug=SERVICE)
    person = applicant()
    start = timezone.now() - dt.timedelta(days=30)
    with transaction.atomic():
        for first in range(0, count, BATCH):
            rows = []
            for n in range(first, min(first + BATCH, count)):
                moment = start + dt.timedelta(seconds=n * 60)
                rows.append(
                    Application(
                        number=f"MPP-2026-{n + 1:06d}",
                        agency_id=service.agency_id,
                        service=service,
                        standard=service.current_standard,
                        applicant=person,
                        subject_nik="3573010101900001",
                        subject_name=f"Pemohon {n + 1}",
                        status=STATUSES[n % len(STATUSES)],
                        answers={"nama_anak": f"Anak {n + 1}"},
                        submitted_at=moment,
                        sla_working_days=1,
                        due_date=moment.date() + dt.timedelta(days=2),
                    )
                )
            Application.objects.bulk_create(rows)
    # auto_now fields: spread the change times so that paging and sync select real ranges.
    ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        for n, pk in enumerate(ids):
            Application.objects.filter(pk=pk).update(
                modified_at=start + dt.timedelta(seconds=n * 60)
            )
    manager = CityRole.objects.select_related("user").get(role="mpp_manager").user
    issued = api_client_create(
        actor=manager,
        agency=service.agency,
        name="Benchmark",
        scopes=["applications:read"],
    )
    middle = Application.objects.order_by("modified_at", "pk")[count // 2]
    newest = Application.objects.order_by("-modified_at", "-pk")[min(49, count - 1)]
    return {
        "token": issued.token,
        "cursor": encode_cursor(middle.modified_at, middle.pk),
        "updated_since": newest.modified_at.isoformat(),
        "case": middle.public_id,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
