"""Deadlines count working days of the pinned standard: weekends, holidays, cuti bersama, pauses."""

import datetime as dt

import pytest
import time_machine

from mpp.applications import services
from mpp.applications.selectors import deadline_of
from mpp.applications.tests.conftest import png_bytes
from mpp.applications.workflow import sla_working_days
from mpp.catalog.models import ServiceStandard, StandardStatus
from mpp.core.models import CalendarOverride

WIB = dt.timezone(dt.timedelta(hours=7))


def _submit(applicant, service, upload):
    application = services.application_start(actor=applicant, service_slug=service.slug)
    services.application_save(
        actor=applicant,
        application=application,
        answers={"nama_anak": "Rara", "tanggal_lahir_anak": "2026-01-02", "domisili": True},
        uploads={"ktp": upload("ktp.png", png_bytes(), "image/png")},
    )
    return services.application_submit(actor=applicant, application=application)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "due"),
    [
        # Thursday: Friday, Monday, Tuesday (the weekend is skipped).
        (dt.datetime(2026, 11, 5, 10, 0, tzinfo=WIB), dt.date(2026, 11, 10)),
        # Saturday evening counts from Monday.
        (dt.datetime(2026, 11, 7, 20, 0, tzinfo=WIB), dt.date(2026, 11, 11)),
        # Tuesday 17 March 2026: Nyepi (19), Idul Fitri (21-22) and cuti bersama 18, 20, 23, 24.
        (dt.datetime(2026, 3, 17, 9, 0, tzinfo=WIB), dt.date(2026, 3, 27)),
        # Wednesday 23 December 2026: cuti bersama 24 and Christmas 25 Dec.
        (dt.datetime(2026, 12, 23, 9, 0, tzinfo=WIB), dt.date(2026, 12, 30)),
    ],
)
def test_the_deadline_skips_weekends_holidays_and_cuti_bersama(
    applicant, service_a, upload, moment, due
):
    with time_machine.travel(moment, tick=False):
        application = _submit(applicant, service_a, upload)
    assert application.sla_working_days == 3
    assert application.due_date == due


@pytest.mark.django_db
def test_a_day_the_manager_closes_by_hand_moves_the_deadline(applicant, service_a, upload):
    CalendarOverride.objects.create(
        date=dt.date(2026, 11, 9), is_working_day=False, reason="Banjir"
    )
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, 0, tzinfo=WIB), tick=False):
        application = _submit(applicant, service_a, upload)
    assert application.due_date == dt.date(2026, 11, 11)


@pytest.mark.django_db
def test_the_clock_stops_while_the_citizen_revises(applicant, service_a, verifier_a, upload):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False) as clock:
        application = _submit(applicant, service_a, upload)  # due Thursday 5 Nov
        clock.move_to(dt.datetime(2026, 11, 3, 9, 0, tzinfo=WIB))
        for action, note in (("start_verification", ""), ("request_revision", "KK kurang")):
            application = services.application_transition(
                actor=verifier_a, application=application, action=action, note=note
            )
        assert application.remaining_working_days == 2
        # Three weeks later, including the overdue date, the case is not overdue: it waits.
        clock.move_to(dt.datetime(2026, 11, 24, 9, 0, tzinfo=WIB))
        state = deadline_of(application)
        assert state.paused and not state.overdue and state.remaining == 2
        application = services.application_resubmit(actor=applicant, application=application)
    # Tuesday 24 Nov + 2 working days.
    assert application.due_date == dt.date(2026, 11, 26)
    assert application.paused_at is None


@pytest.mark.django_db
def test_overdue_and_near_deadline_marks(applicant, service_a, upload):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB), tick=False) as clock:
        application = _submit(applicant, service_a, upload)  # 3 days, due 5 Nov
        assert not deadline_of(application).near
        clock.move_to(dt.datetime(2026, 11, 5, 9, 0, tzinfo=WIB))
        state = deadline_of(application)
        assert state.near and not state.overdue
        clock.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=WIB))
        state = deadline_of(application)
        assert state.overdue and state.remaining == -1


@pytest.mark.django_db
def test_the_case_keeps_the_standard_in_force_at_submission(applicant, service_a, upload):
    old = service_a.current_standard
    application = _submit(applicant, service_a, upload)
    newer = ServiceStandard.objects.create(
        service=service_a,
        agency=service_a.agency,
        version=2,
        status=StandardStatus.DRAFT,
        **{**old.components(), "completion_time": {"value": 10, "unit": "working_days"}},
    )
    ServiceStandard.objects.filter(pk=old.pk).update(status=StandardStatus.SUPERSEDED)
    ServiceStandard.objects.filter(pk=newer.pk).update(status=StandardStatus.ADOPTED)
    service_a.current_standard = newer
    service_a.save()
    application.refresh_from_db()
    assert application.standard_id == old.pk and application.sla_working_days == 3


@pytest.mark.parametrize(
    ("completion_time", "days"),
    [
        ({"value": 5, "unit": "working_days"}, 5),
        ({"value": 24, "unit": "hours"}, 1),
        ({"value": 30, "unit": "hours"}, 2),
        ({"value": 15, "unit": "minutes"}, 1),
    ],
)
def test_promised_times_become_whole_working_days(completion_time, days):
    assert sla_working_days(completion_time) == days
