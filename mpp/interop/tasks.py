"""Worker tasks of the interop context (django-tasks, ADR 0007)."""

from django_tasks import task


@task()
def deliver_due() -> int:
    """Send every due webhook delivery (see mpp.interop.outbox)."""
    from mpp.interop.outbox import run_due

    return run_due()
