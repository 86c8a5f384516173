"""Working-day calendar: 2026 dates around Nyepi, Idul Fitri and their cuti bersama."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mpp.core import calendar
from mpp.core.audit import audit_chain_is_intact
from mpp.core.calendar import (
    SOURCE_CUTI_BERSAMA,
    SOURCE_MANUAL,
    SOURCE_NATIONAL,
    add_working_days,
    holidays_between,
    is_working_day,
    working_days_between,
)
from mpp.core.errors import PermissionDenied, ValidationFailed
from mpp.core.models import AuditRecord, CalendarOverride
from mpp.core.services import calendar_day_clear, calendar_day_set

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
D = dt.date


def _override(day: dt.date, *, working: bool, reason: str = "uji") -> None:
    CalendarOverride.objects.create(date=day, is_working_day=working, reason=reason)


# --- The official calendar, as the holidays package has it for 2026 ---------------------------


def test_the_idul_fitri_2026_block_is_closed_from_18_to_24_march():
    closed = [D(2026, 3, day) for day in range(18, 25)]
    assert [is_working_day(day) for day in closed] == [False] * 7
    assert is_working_day(D(2026, 3, 17))
    assert is_working_day(D(2026, 3, 25))


def test_holidays_of_march_2026_carry_names_and_sources():
    days = holidays_between(D(2026, 3, 1), D(2026, 3, 31), language="id")
    assert [(h.date.day, h.source) for h in days] == [
        (18, SOURCE_CUTI_BERSAMA),
        (19, SOURCE_NATIONAL),  # Nyepi
        (20, SOURCE_CUTI_BERSAMA),
        (21, SOURCE_NATIONAL),  # Idul Fitri 1447 H, first day (per the package)
        (22, SOURCE_NATIONAL),  # Idul Fitri, second day
        (23, SOURCE_CUTI_BERSAMA),
        (24, SOURCE_CUTI_BERSAMA),
    ]
    names = {h.date.day: h.name for h in days}
    assert names[19] == "Hari Suci Nyepi"
    assert names[21] == "Hari Raya Idul Fitri"
    assert "Cuti Bersama" in names[20]


def test_holiday_names_follow_the_requested_language():
    (nyepi,) = holidays_between(D(2026, 3, 19), D(2026, 3, 19), language="en")
    assert nyepi.name == "Day of Silence"


def test_every_2026_cuti_bersama_day_of_the_decree_is_closed():
    decree = [D(2026, 2, 16), D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)]
    decree += [D(2026, 5, 15), D(2026, 5, 28), D(2026, 12, 24)]
    year = holidays_between(D(2026, 1, 1), D(2026, 12, 31))
    cuti = [h.date for h in year if h.source == SOURCE_CUTI_BERSAMA]
    assert cuti == decree
    assert not any(is_working_day(day) for day in decree)


# --- Counting a deadline --------------------------------------------------------------------


def test_one_working_day_after_the_day_before_nyepi_is_25_march():
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 25)


def test_a_three_day_verification_started_before_lebaran_ends_on_27_march():
    assert add_working_days(D(2026, 3, 16), 3) == D(2026, 3, 26)
    assert add_working_days(D(2026, 3, 17), 3) == D(2026, 3, 27)


def test_zero_working_days_is_the_day_of_submission():
    assert add_working_days(D(2026, 3, 19), 0) == D(2026, 3, 19)


def test_the_time_of_day_does_not_move_the_count():
    morning = dt.datetime(2026, 3, 10, 9, 0, tzinfo=JAKARTA)
    evening = dt.datetime(2026, 3, 10, 22, 30, tzinfo=JAKARTA)
    assert add_working_days(morning, 1) == add_working_days(evening, 1) == D(2026, 3, 11)


def test_a_submission_on_a_holiday_counts_from_the_next_working_day():
    assert add_working_days(D(2026, 3, 21), 1) == D(2026, 3, 25)  # Idul Fitri, a Saturday
    assert add_working_days(D(2026, 3, 19), 1) == D(2026, 3, 25)  # Nyepi


def test_weekends_are_skipped():
    friday = D(2026, 3, 6)
    assert add_working_days(friday, 1) == D(2026, 3, 9)
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # Saturday
    assert add_working_days(friday, 5) == D(2026, 3, 13)


def test_an_aware_utc_moment_is_read_in_jakarta_time():
    # 17:30 UTC on Tuesday 17 March is 00:30 WIB on Wednesday 18 March (cuti bersama).
    late = dt.datetime(2026, 3, 17, 17, 30, tzinfo=dt.UTC)
    assert add_working_days(late, 1) == D(2026, 3, 25)
    assert working_days_between(late, D(2026, 3, 25)) == 1


def test_working_days_between_skips_the_lebaran_block():
    assert working_days_between(D(2026, 3, 17), D(2026, 3, 25)) == 1
    assert working_days_between(D(2026, 3, 13), D(2026, 3, 27)) == 5  # 16, 17, 25, 26, 27
    assert working_days_between(D(2026, 3, 16), D(2026, 3, 17)) == 1


def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert working_days_between(D(2026, 3, 25), D(2026, 3, 25)) == 0
    assert working_days_between(D(2026, 3, 26), D(2026, 3, 25)) == 0


def test_counting_back_undoes_adding():
    start = dt.datetime(2026, 3, 12, 15, 0, tzinfo=JAKARTA)
    for n in range(0, 15):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_christmas_2026_and_its_cuti_bersama_close_thursday_and_friday():
    assert not is_working_day(D(2026, 12, 24))
    assert not is_working_day(D(2026, 12, 25))
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 28)


def test_the_count_crosses_into_2027():
    # 31 Dec 2026 (Thu) -> 1 Jan 2027 is New Year's Day, then the weekend.
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 28), D(2027, 1, 4)) == 4  # 29, 30, 31 Dec, 4 Jan


def test_a_negative_or_absurd_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 17), -1)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 17), calendar.MAX_WORKING_DAYS + 1)


# --- Manual overrides -----------------------------------------------------------------------


def test_a_manual_extra_holiday_shifts_a_deadline():
    assert add_working_days(D(2026, 4, 6), 1) == D(2026, 4, 7)
    _override(D(2026, 4, 7), working=False, reason="Hari jadi Kota Malang")
    assert not is_working_day(D(2026, 4, 7))
    assert add_working_days(D(2026, 4, 6), 1) == D(2026, 4, 8)


def test_a_manual_working_saturday_counts():
    _override(D(2026, 3, 28), working=True, reason="Layanan akhir pekan")
    assert is_working_day(D(2026, 3, 28))
    assert add_working_days(D(2026, 3, 27), 1) == D(2026, 3, 28)
    assert working_days_between(D(2026, 3, 27), D(2026, 3, 30)) == 2


def test_a_manual_working_day_can_reopen_a_cuti_bersama():
    _override(D(2026, 3, 24), working=True, reason="Pelayanan dibuka")
    assert add_working_days(D(2026, 3, 17), 1) == D(2026, 3, 24)


def test_holidays_between_lists_manual_days_and_hides_reopened_ones():
    _override(D(2026, 3, 24), working=True, reason="Pelayanan dibuka")
    _override(D(2026, 3, 26), working=False, reason="Banjir")
    days = {h.date: h for h in holidays_between(D(2026, 3, 23), D(2026, 3, 27))}
    assert D(2026, 3, 24) not in days
    assert days[D(2026, 3, 26)].source == SOURCE_MANUAL
    assert days[D(2026, 3, 26)].name == "Banjir"


def test_counting_reads_the_overrides_in_one_query(django_assert_num_queries):
    _override(D(2026, 4, 7), working=False)
    with django_assert_num_queries(1):
        add_working_days(D(2026, 1, 2), 200)
    with django_assert_num_queries(1):
        working_days_between(D(2026, 1, 2), D(2027, 6, 30))


def test_a_loaded_calendar_counts_many_deadlines_with_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        cal = calendar.load_calendar(D(2026, 3, 1))
        deadlines = [cal.add_working_days(D(2026, 3, day), 3) for day in range(1, 31)]
    assert deadlines[16] == D(2026, 3, 27)  # from 17 March


# --- Services: who may change the calendar ---------------------------------------------------


def test_the_manager_adds_a_holiday_and_it_is_audited(manager):
    override = calendar_day_set(
        actor=manager, day=D(2026, 4, 7), is_working_day=False, reason="Hari jadi kota"
    )
    assert override.created_by == manager
    assert not is_working_day(D(2026, 4, 7))
    record = AuditRecord.objects.get(action="calendar.day_set")
    assert record.actor == manager
    assert record.data["reason"] == "Hari jadi kota"
    assert audit_chain_is_intact()


def test_the_manager_changes_an_existing_override(manager):
    calendar_day_set(actor=manager, day=D(2026, 3, 28), is_working_day=True, reason="Buka")
    calendar_day_set(actor=manager, day=D(2026, 3, 30), is_working_day=False, reason="Tutup")
    calendar_day_set(actor=manager, day=D(2026, 3, 28), is_working_day=True, reason="Buka lagi")
    assert CalendarOverride.objects.get(date=D(2026, 3, 28)).reason == "Buka lagi"
    assert CalendarOverride.objects.count() == 2


def test_the_manager_clears_an_override_and_it_is_audited(manager):
    calendar_day_set(actor=manager, day=D(2026, 4, 7), is_working_day=False, reason="Banjir")
    calendar_day_clear(actor=manager, day=D(2026, 4, 7))
    assert is_working_day(D(2026, 4, 7))
    assert AuditRecord.objects.filter(action="calendar.day_cleared").count() == 1
    assert audit_chain_is_intact()


def test_clearing_a_day_without_override_is_not_found(manager):
    from mpp.core.errors import NotFound

    with pytest.raises(NotFound):
        calendar_day_clear(actor=manager, day=D(2026, 4, 7))


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(manager, reason):
    with pytest.raises(ValidationFailed) as exc:
        calendar_day_set(actor=manager, day=D(2026, 4, 7), is_working_day=False, reason=reason)
    assert "reason" in exc.value.errors
    assert exc.value.detail == "Alasan wajib diisi."


def test_a_too_long_reason_is_refused(manager):
    with pytest.raises(ValidationFailed):
        calendar_day_set(actor=manager, day=D(2026, 4, 7), is_working_day=False, reason="x" * 201)


def test_marking_a_day_as_what_it_already_is_is_refused(manager):
    with pytest.raises(ValidationFailed, match="sudah hari kerja"):
        calendar_day_set(actor=manager, day=D(2026, 4, 7), is_working_day=True, reason="x")
    with pytest.raises(ValidationFailed, match="sudah hari libur"):
        calendar_day_set(actor=manager, day=D(2026, 3, 19), is_working_day=False, reason="x")
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("persona", ["admin_a", "citizen", "auditor", None])
def test_only_the_manager_may_change_the_calendar(request, persona):
    from django.contrib.auth.models import AnonymousUser

    actor = request.getfixturevalue(persona) if persona else AnonymousUser()
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=actor, day=D(2026, 4, 7), is_working_day=False, reason="Banjir")
    _override(D(2026, 4, 8), working=False)
    with pytest.raises(PermissionDenied):
        calendar_day_clear(actor=actor, day=D(2026, 4, 8))
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [D(2026, 4, 8)]
    assert not AuditRecord.objects.exists()
