"""Authorization matrix entry of the staff's audit log page (read-only, GET only).

Global staff and administrators read it for every call; `call_staff` (a staff grant scoped to
one call) reads it too, for that call only (what each reads: tests/calls/test_audit_page.py);
other roles get 403, anonymous visitors sign in.
"""

from .rules import CALL_STAFF, FORBIDDEN, LOGIN, OK, Route, expect

AUDIT_PAGES: dict[str, Route | list[Route]] = {
    "calls:staff_audit": Route(
        expect(anonymous=LOGIN, staff=OK, admin=OK, **{CALL_STAFF: OK}, others=FORBIDDEN)
    ),
}
