"""Authorization matrix entries of operations: ``/health/`` answers everyone (the details only to
monitoring callers), ``/metrics`` answers the allowed addresses and the token only. The matrix's
client calls from 127.0.0.1, an allowed address by default; other addresses get 404
(tests/ops/test_metrics.py)."""

from .rules import OK, Route, expect

OPS_PAGES = {
    "ops:health": Route(expect(everyone=OK), note="no session, no second factor asked"),
    "ops:metrics": Route(
        expect(everyone=OK), note="from loopback; 404 from elsewhere without the token"
    ),
}
