"""The audit trail is a hash chain: changing any past row is detectable."""

import threading

import pytest
from django.db import connection, connections, transaction

from mpp.catalog.testing import make_agency
from mpp.core.audit import GENESIS_HASH, audit, audit_chain_is_intact
from mpp.core.models import AuditRecord


@pytest.fixture
def three_records(manager):
    agency = make_agency()
    return [
        audit(actor=manager, action="agency.created", target=agency, agency_id=agency.pk),
        audit(actor=manager, action="agency.updated", target=agency, data={"name": "Baru"}),
        audit(actor=None, action="agency.checked", target=agency, data={"n": 3}),
    ]


def test_each_record_carries_the_hash_of_the_one_before(three_records):
    first, second, third = AuditRecord.objects.order_by("id")
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_a_record_says_who_did_what_to_which_object(three_records, manager):
    first = AuditRecord.objects.order_by("id").first()
    assert first.actor == manager
    assert first.actor_label == "pengelola"
    assert first.action == "agency.created"
    assert first.target_type == "agencies.agency"
    assert AuditRecord.objects.order_by("id").last().actor_label == "system"


def test_an_untouched_chain_is_intact(three_records):
    assert audit_chain_is_intact()


def test_an_empty_chain_is_intact(db):
    assert audit_chain_is_intact()


def test_changing_a_past_records_data_breaks_the_chain(three_records):
    AuditRecord.objects.filter(pk=three_records[1].pk).update(data={"name": "Dipalsukan"})
    assert not audit_chain_is_intact()


def test_rehashing_a_changed_record_still_breaks_the_chain_at_the_next_one(three_records):
    forged = AuditRecord.objects.get(pk=three_records[0].pk)
    forged.action = "agency.deleted"
    forged.hash = forged.compute_hash()
    AuditRecord.objects.filter(pk=forged.pk).update(action=forged.action, hash=forged.hash)
    assert not audit_chain_is_intact()


def test_deleting_a_record_from_the_middle_breaks_the_chain(three_records):
    AuditRecord.objects.filter(pk=three_records[1].pk).delete()
    assert not audit_chain_is_intact()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="writers racing for the chain's head need PostgreSQL (CI runs the suite on it)",
)
def test_parallel_writers_keep_one_unbroken_chain(agency_a):
    barrier = threading.Barrier(8)
    errors = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    audit(actor=None, action="test.race", target=agency_a, data={"n": n, "i": i})
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditRecord.objects.filter(action="test.race").count() == 40
    prevs = list(AuditRecord.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs))  # no two records chain to the same predecessor
    assert audit_chain_is_intact()
