"""A crisis notice shows on every page at once, cached public pages included."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mpp.queueing.services.crisis import crisis_declare, crisis_lift

pytestmark = pytest.mark.django_db


def test_a_declared_notice_appears_on_cached_public_pages_and_leaves_when_lifted(manager):
    home = Client().get("/").content.decode()  # cached from here on
    assert "Pengumuman layanan MPP" not in home
    today = timezone.localdate()
    measure = crisis_declare(
        actor=manager,
        kind="close_walk_in",
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
        notice="Antrean langsung ditutup karena banjir.",
    )
    for path in ("/", "/layanan/", "/akun/masuk/", "/lacak/"):
        page = Client().get(path).content.decode()
        assert "Antrean langsung ditutup karena banjir." in page, path
    crisis_lift(actor=manager, measure=measure)
    assert "banjir" not in Client().get("/").content.decode()
