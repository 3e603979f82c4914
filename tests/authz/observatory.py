"""Authorization matrix entries of the observatory (pages and API).

The figures are public: the page, each table's CSV file and ``GET /api/v1/observatory`` answer
everyone (they hold no count below 5). Refreshing them and following a refresh is for the
platform's staff (global staff and administrators); a staff grant scoped to a call
(``call_staff``) is not enough (403). The sample is a published snapshot of the matrix's world.
"""

from .rules import FORBIDDEN, LOGIN, OK, REDIRECT, Route, expect

PUBLIC = expect(everyone=OK)
STAFF = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
STAFF_POSTS = expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN)


def _snapshot(world):
    def make():
        from django.utils import timezone

        from filiere.observatory import publication, statistics
        from filiere.observatory.models import Snapshot

        now = timezone.now()
        figures = publication.publish(statistics.community(), statistics.calls(now), now)
        return Snapshot.objects.create(status="done", figures=figures, finished_at=now)

    return world.once("observatory:snapshot", make)


OBSERVATORY_PAGES = {
    "observatory:index": Route(PUBLIC),
    "observatory:table_csv": Route(
        PUBLIC, kwargs=lambda w: {"key": "years"} if _snapshot(w) else {}, note="published"
    ),
    "observatory:staff": Route(STAFF),
    "observatory:refresh": Route(
        STAFF_POSTS,
        method="POST",
        note="queues a refresh, then its progress (or the refreshes' page when one waits)",
    ),
    "observatory:progress": Route(STAFF, kwargs=lambda w: {"pk": _snapshot(w).pk}),
}

OBSERVATORY_API = {
    "GET /api/v1/observatory": Route(PUBLIC),
}
