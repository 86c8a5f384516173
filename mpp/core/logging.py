"""Logging filter that keeps NIKs (and any other 16-digit number) out of log output.

Wire it on the handlers in settings.LOGGING so that every record passes through it, whichever
logger wrote it: {"filters": {"mask_nik": {"()": "mpp.core.logging.MaskNikFilter"}}} and
"filters": ["mask_nik"] on each handler.
"""

import logging
import re

# The same dot as mpp.accounts.nik.mask_nik (core does not import accounts).
MASK = "•"
_SIXTEEN_DIGITS = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")


def mask_sixteen_digits(text: str) -> str:
    """3573011201900001 -> 3573••••••••0001, wherever a 16-digit run stands alone."""
    return _SIXTEEN_DIGITS.sub(lambda m: m.group(1) + MASK * 8 + m.group(2), text)


class MaskNikFilter(logging.Filter):
    """Rewrites the record's message (and traceback) with 16-digit numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        masked = mask_sixteen_digits(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sixteen_digits(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sixteen_digits(record.stack_info)
        return True
