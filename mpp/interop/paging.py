"""Cursor pagination of the agency API: stable under inserts, resumable for synchronisation.

A cursor names the last row of a page by its sort value and id; the next page starts
strictly after it. Cursors are opaque to clients (URL-safe base64).
"""

import base64
import binascii
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from mpp.core.errors import InvalidParameter


def encode_cursor(value: dt.date | dt.datetime, pk: int) -> str:
    raw = f"{value.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = raw.split("|")
        return value, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        message = _("Kursor tidak valid; gunakan next_cursor dari halaman sebelumnya.")
        raise InvalidParameter(message, errors={"cursor": [message]}) from exc


def page_after(qs: QuerySet, *, field: str, cursor: str, limit: int) -> tuple[list, str | None]:
    """One page of `qs` ordered by (field, pk), after `cursor`; and the next cursor."""
    if cursor:
        value, pk = _decode(cursor)
        parse = dt.date.fromisoformat if len(value) == 10 else dt.datetime.fromisoformat
        try:
            moment = parse(value)
        except ValueError as exc:
            message = _("Kursor tidak valid; gunakan next_cursor dari halaman sebelumnya.")
            raise InvalidParameter(message, errors={"cursor": [message]}) from exc
        qs = qs.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
    rows = list(qs.order_by(field, "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(getattr(rows[-1], field), rows[-1].pk) if more else None)
