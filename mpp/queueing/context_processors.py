"""Crisis notices for every page: add "mpp.queueing.context_processors.crisis_notices" to
TEMPLATES and `{% include "queueing/_crisis_notice.html" %}` to base.html."""

from django.utils.functional import SimpleLazyObject


def crisis_notices(request) -> dict:
    """`queue_notices`: the crisis measures in force or announced (read only when shown)."""
    from mpp.queueing.selectors import current_notices

    return {"queue_notices": SimpleLazyObject(current_notices)}
