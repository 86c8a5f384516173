import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mpp.interop import services
from mpp.interop.testing import Receiver

JAKARTA = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA)


@pytest.fixture
def clock():
    """A frozen clock; tests move it with clock.shift(seconds)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.MPP_WEBHOOK_ALLOW_INSECURE = True
    settings.MPP_WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def issued_a(admin_a, agency_a):
    return services.api_client_create(
        actor=admin_a,
        agency=agency_a,
        name="SIAK Dukcapil",
        scopes=["applications:read", "events:push", "applications:transition"],
    )


@pytest.fixture
def issued_b(admin_b, agency_b):
    return services.api_client_create(
        actor=admin_b, agency=agency_b, name="Sistem Polresta", scopes=["applications:read"]
    )
