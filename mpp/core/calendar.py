"""The government working-day calendar of Asia/Jakarta, used to count service deadlines.

A working day is Monday to Friday that is neither a national holiday (hari libur nasional) nor
a cuti bersama (a collective leave day decreed by the government around major holidays), unless
the MPP manager overrides the day by hand (``CalendarOverride``: an extra holiday, or a
working day such as a Saturday declared to make up for lost time). National holidays and cuti
bersama come from the ``holidays`` package (categories "public" and "government"); Islamic
holidays beyond the published decree are estimates, which is why overrides exist.

Counting rule (how offices count a deadline): the day of submission is day 0 and is never
counted; day 1 is the first working day after it. The time of day does not matter: a
submission at 09.00, one after closing hours and one on a holiday or a weekend all start the
count on the next working day. Treating "after closing hours" as "received the next working
day" (day 0 moved forward) was rejected because it would give a Friday-evening submission a
later deadline than one made on the following Saturday.

Moments are read in Asia/Jakarta: an aware datetime is converted; a naive datetime is taken as
Jakarta local time; a date is used as is.

Each public function reads the overrides in one query. Code that counts many deadlines at
once (a list page) should call ``load_calendar()`` once and use the returned
``WorkingCalendar`` for every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

JAKARTA = ZoneInfo("Asia/Jakarta")
ONE_DAY = dt.timedelta(days=1)
MAX_WORKING_DAYS = 5000  # about twenty years; guards against runaway loops on bad input

SOURCE_NATIONAL = "national"
SOURCE_CUTI_BERSAMA = "cuti_bersama"
SOURCE_MANUAL = "manual"

# Django language code -> language code of the holidays package.
_HOLIDAY_LANGUAGES = {"id": "id", "en": "en_US"}


class Holiday(NamedTuple):
    """A day off for display: its date, its name and where it comes from."""

    date: dt.date
    name: str
    source: str  # SOURCE_NATIONAL, SOURCE_CUTI_BERSAMA or SOURCE_MANUAL


@lru_cache(maxsize=64)
def _official(year: int, category: str, language: str = "id") -> holidays.HolidayBase:
    """The package's holidays of one year and category, computed once per process."""
    return holidays.country_holidays("ID", years=year, categories=(category,), language=language)


def _official_name(day: dt.date, language: str = "id") -> tuple[str, str] | None:
    """(name, source) of a national holiday or cuti bersama on the day, or None."""
    for category, source in (("public", SOURCE_NATIONAL), ("government", SOURCE_CUTI_BERSAMA)):
        name = _official(day.year, category, language).get(day)
        if name:
            return name, source
    return None


def is_official_working_day(day: dt.date) -> bool:
    """True for a weekday that is neither a national holiday nor cuti bersama (no overrides)."""
    return day.weekday() < 5 and _official_name(day) is None


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    """The Asia/Jakarta calendar date of a moment (naive datetimes are taken as Jakarta time)."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(JAKARTA)
        return moment.date()
    return moment


@dataclass(frozen=True)
class WorkingCalendar:
    """The official calendar plus a set of manual overrides (date -> is a working day)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        """True when government offices are open on the day."""
        if day in self.overrides:
            return self.overrides[day]
        return is_official_working_day(day)

    def add_working_days(self, start: dt.datetime | dt.date, n: int) -> dt.date:
        """The date n working days after the day of start (start is day 0; see module doc)."""
        if n < 0 or n > MAX_WORKING_DAYS:
            raise ValueError(f"n must be between 0 and {MAX_WORKING_DAYS}, got {n}")
        day = local_date(start)
        while n > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
        """Working days after the day of start up to and including the day of end."""
        first, last = local_date(start) + ONE_DAY, local_date(end)
        count = 0
        day = first
        while day <= last:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count


def _overrides(start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, bool]:
    """Manual overrides in [start, end] (either bound open), in one query."""
    from mpp.core.models import CalendarOverride

    qs = CalendarOverride.objects.all()
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return dict(qs.values_list("date", "is_working_day"))


def load_calendar(start: dt.date | None = None, end: dt.date | None = None) -> WorkingCalendar:
    """A calendar holding the overrides in [start, end] (one query); reuse it for many counts."""
    return WorkingCalendar(_overrides(start, end))


def is_working_day(day: dt.date) -> bool:
    """True when government offices in Asia/Jakarta are open on the day."""
    day = local_date(day)
    return load_calendar(day, day).is_working_day(day)


def add_working_days(start: dt.datetime | dt.date, n: int) -> dt.date:
    """The date that is n working days after start: start's day is day 0, day 1 the next open day.

    A start on a holiday, a weekend or after closing hours counts from the next working day, so
    ``add_working_days(<Tuesday 17 March 2026>, 1)`` is 25 March 2026 (Nyepi, Idul Fitri and
    their cuti bersama in between). ``n == 0`` returns start's own date. Raises ValueError when n
    is negative or larger than MAX_WORKING_DAYS.
    """
    first = local_date(start) + ONE_DAY
    return load_calendar(first).add_working_days(start, n)


def working_days_between(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> int:
    """Working days after start's day up to and including end's day; 0 when end <= start.

    The inverse of add_working_days: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    first, last = local_date(start) + ONE_DAY, local_date(end)
    if last < first:
        return 0
    return load_calendar(first, last).working_days_between(start, end)


def holidays_between(start: dt.date, end: dt.date, *, language: str | None = None) -> list[Holiday]:
    """Days off from start to end inclusive, for display: national, cuti bersama and manual.

    Weekends are not listed unless a holiday falls on them. A manual holiday replaces the
    official entry of the same date; a day the manager declared a working day is left out.
    Names follow the active UI language unless ``language`` ("id" or "en") is given.
    """
    if language is None:
        from django.utils import translation

        language = translation.get_language() or "id"
    package_language = _HOLIDAY_LANGUAGES.get(language.split("-")[0], "id")
    from mpp.core.models import CalendarOverride

    manual = {o.date: o for o in CalendarOverride.objects.filter(date__range=(start, end))}
    result: list[Holiday] = []
    day = start
    while day <= end:
        override = manual.get(day)
        if override is not None:
            if not override.is_working_day:
                result.append(Holiday(day, override.reason, SOURCE_MANUAL))
        else:
            official = _official_name(day, package_language)
            if official is not None:
                result.append(Holiday(day, official[0], official[1]))
        day += ONE_DAY
    return result
