"""Authorization matrix entry of the staff's audit log page (read-only, GET only).

Global staff and administrators read it; a staff grant scoped to a call reads that call's
entries (tests/calls/test_audit_page.py); other roles get 403, anonymous visitors sign in.
"""

from .rules import CALL_STAFF, FORBIDDEN, LOGIN, OK, Route, expect

AUDIT_PAGES: dict[str, Route | list[Route]] = {
    "calls:staff_audit": Route(
        expect(anonymous=LOGIN, staff=OK, admin=OK, **{CALL_STAFF: OK}, others=FORBIDDEN),
        note="the call-scoped staff user reads its call's entries",
    ),
}
