"""Registry test personas and kuasa; the registry server itself is mpp.registries.testing."""

import datetime
import socket

import pytest
from django.core.files.base import ContentFile

from mpp.accounts.models import Representation
from mpp.accounts.testing import make_citizen

DEMO_NIK = "3573051708900001"  # Warga Demo
SITI_NIK = "3573025203850002"
UNKNOWN_NIK = "3573051708900099"  # valid form, not in the registry


@pytest.fixture
def closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def warga(make_user):
    """The demo citizen Warga Demo (name typed in lower case at sign-up)."""
    user = make_citizen(make_user, "warga.demo", DEMO_NIK, full_name="warga demo")
    profile = user.citizen
    profile.birth_date = datetime.date(1990, 8, 17)
    profile.save()
    return user


@pytest.fixture
def stranger(make_user):
    return make_citizen(make_user, "orang.lain", UNKNOWN_NIK, full_name="Orang Lain")


def give_kuasa(representative, nik: str, **fields) -> Representation:
    today = datetime.date.today()
    values = {
        "represented_name": "Siti Aminah",
        "relationship": "family",
        "power_of_attorney_type": "application/pdf",
        "valid_from": today - datetime.timedelta(days=1),
        "valid_until": today + datetime.timedelta(days=30),
    }
    values.update(fields)
    kuasa = Representation(representative=representative, represented_nik=nik, **values)
    kuasa.power_of_attorney.save("kuasa.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    kuasa.save()
    return kuasa
