"""Writes owned by core: the MPP manager's manual changes to the working-day calendar."""

import datetime as dt

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.core.audit import audit
from mpp.core.calendar import is_official_working_day
from mpp.core.errors import NotFound, ValidationFailed
from mpp.core.models import CalendarOverride

REASON_MAX_LENGTH = CalendarOverride._meta.get_field("reason").max_length


def _require_manager(actor) -> None:
    # Imported here so that core has no import-time dependency on the agencies app.
    from mpp.agencies.permissions import require_mpp_manager

    require_mpp_manager(actor)


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Alasan wajib diisi."), errors={"reason": [_("Alasan wajib diisi.")]}
        )
    if len(reason) > REASON_MAX_LENGTH:
        message = _("Alasan paling banyak %(max)d karakter.") % {"max": REASON_MAX_LENGTH}
        raise ValidationFailed(message, errors={"reason": [message]})
    return reason


def _check_day(day: object) -> dt.date:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        message = _("Tanggal tidak valid.")
        raise ValidationFailed(message, errors={"day": [message]})
    return day


@transaction.atomic
def calendar_day_set(*, actor, day: dt.date, is_working_day: bool, reason: str) -> CalendarOverride:
    """Mark a day by hand as a holiday or a working day (MPP manager only)."""
    _require_manager(actor)
    day = _check_day(day)
    reason = _clean_reason(reason)
    if is_official_working_day(day) == is_working_day:
        message = (
            _("%(day)s sudah hari kerja menurut kalender nasional.")
            if is_working_day
            else _("%(day)s sudah hari libur menurut kalender nasional.")
        ) % {"day": date_format(day, "DATE_FORMAT")}
        raise ValidationFailed(message, errors={"is_working_day": [message]})
    previous = CalendarOverride.objects.filter(date=day).first()
    override, _created = CalendarOverride.objects.update_or_create(
        date=day,
        defaults={"is_working_day": is_working_day, "reason": reason, "modified_by": actor},
        create_defaults={
            "is_working_day": is_working_day,
            "reason": reason,
            "created_by": actor,
            "modified_by": actor,
        },
    )
    data = {"date": day, "is_working_day": is_working_day, "reason": reason}
    if previous is not None:
        data["previous"] = {"is_working_day": previous.is_working_day, "reason": previous.reason}
    audit(actor=actor, action="calendar.day_set", target=override, data=data)
    return override


@transaction.atomic
def calendar_day_clear(*, actor, day: dt.date) -> None:
    """Remove the manual change of a day, back to the national calendar (MPP manager only)."""
    _require_manager(actor)
    day = _check_day(day)
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if override is None:
        raise NotFound(_("Tidak ada penyesuaian manual pada tanggal ini."))
    audit(
        actor=actor,
        action="calendar.day_cleared",
        target=override,
        data={"date": day, "is_working_day": override.is_working_day, "reason": override.reason},
    )
    override.delete()
