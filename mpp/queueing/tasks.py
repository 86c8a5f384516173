"""Background work of the queue: reminders, late arrivals, daily statistics."""

from django_tasks import task


@task()
def send_booking_reminder(booking_pk: int, sequence: int) -> None:
    """Remind the holder the day before (skipped if cancelled or moved since)."""
    from mpp.queueing.services.booking import send_reminder

    send_reminder(booking_pk=booking_pk, sequence=sequence)


@task()
def expire_late_bookings() -> None:
    """Mark bookings whose grace period has passed without check-in as no-shows."""
    from mpp.queueing.services.desk import expire_late_bookings as expire

    expire()


@task()
def compute_day_stats(date_iso: str) -> None:
    """Store waiting time, service time and no-show rate of every service on the day."""
    import datetime as dt

    from mpp.queueing.services.stats import compute_day_stats as compute

    compute(day=dt.date.fromisoformat(date_iso))
