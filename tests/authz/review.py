"""Authorization matrix entries of the review app (expert pools, expertise, conflicts,
assignment, reviews).

Samples live in the fund of ``World.staff_call`` (the call ``call_staff`` instructs): the staff
of that call do not manage the fund's pool, but they see and decide the call's conflicts. The
matrix's ``expert`` holds a global expert grant and no pool membership: its own pages open,
the availability of a call of a pool it is not in answers 404.
"""

from .rules import (
    ADMIN_LOGIN,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Route,
    expect,
)

STAFF = ("staff", "admin")
POOL_STAFF = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
EXPERTS = expect(anonymous=LOGIN, expert=OK, others=FORBIDDEN)


def _fund(world):
    return world.staff_call.fund


def _other_call(world):
    from tests.calls.instruction_factories import CallFactory

    return world.once("review:other-call", lambda: CallFactory(fund=_fund(world)))


def _pool_member(world):
    from filiere.review.models import Expert

    return world.once(
        "review:expert",
        lambda: Expert.objects.create(fund=_fund(world), email="pool-member@example.org"),
    )


def _person_without_account(world):
    from tests.factories import PersonFactory

    return world.once("review:person", lambda: PersonFactory(user=None))


def _stranger_application(world):
    from tests.calls.instruction_factories import ApplicationFactory

    return world.once(
        "review:application",
        lambda: ApplicationFactory(call=world.staff_call, lead=world.stranger),
    )


def _stranger_request(world):
    from filiere.review import services
    from tests.factories import PersonFactory

    return world.once(
        "review:declaration",
        lambda: services.request_exclusion(
            application=_stranger_application(world),
            by=world.stranger,
            kind="competitor",
            reason="matrix",
            person=PersonFactory(),
        ),
    )


def _stranger_assignment(world):
    """A published assignment of another expert of the fund, on the stranger's application."""
    from filiere.review.models import Assignment, Expert, ExpertStatus, PairStatus
    from tests.factories import UserFactory

    def make():
        reader = UserFactory()
        pool_row = Expert.objects.create(
            fund=_fund(world), user=reader, email=reader.email, status=ExpertStatus.ACTIVE
        )
        return Assignment.objects.create(
            application=_stranger_application(world),
            expert=pool_row,
            status=PairStatus.PUBLISHED,
        )

    return world.once("review:assignment", make)


def _run(world):
    from filiere.review.models import AssignmentRun
    from tests.factories import UserFactory

    return world.once(
        "review:run",
        lambda: AssignmentRun.objects.create(
            call=world.staff_call, mode="optimal", started_by=UserFactory()
        ),
    )


CALL_STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN)


def _call_staff(outcome):
    return expect(
        anonymous=LOGIN, staff=outcome, admin=outcome, call_staff=outcome, others=FORBIDDEN
    )


REVIEW_PAGES = {
    "review:pools": Route(POOL_STAFF, note="call-scoped staff do not manage a fund's pool"),
    "review:pool": Route(POOL_STAFF, kwargs=lambda w: {"slug": _fund(w).slug}),
    "review:pool_invite": Route(
        expect(anonymous=LOGIN, **dict.fromkeys(STAFF, OK), others=FORBIDDEN),
        method="POST",
        kwargs=lambda w: {"slug": _fund(w).slug},
        data={"email": "not an address"},
        note="a bad address: the pool page again with the message, nothing sent",
    ),
    "review:pool_invite_person": Route(
        expect(anonymous=LOGIN, **dict.fromkeys(STAFF, REDIRECT), others=FORBIDDEN),
        method="POST",
        kwargs=lambda w: {"slug": _fund(w).slug, "person": _person_without_account(w).pk},
        note="a person without an account: back to the pool with the message",
    ),
    "review:pool_expert": Route(
        POOL_STAFF, kwargs=lambda w: {"slug": _fund(w).slug, "pk": _pool_member(w).pk}
    ),
    "review:pool_remove": [
        Route(
            POOL_STAFF,
            kwargs=lambda w: {"slug": _fund(w).slug, "pk": _pool_member(w).pk},
            note="confirmation",
        ),
        Route(
            expect(anonymous=LOGIN, **dict.fromkeys(STAFF, OK), others=FORBIDDEN),
            method="POST",
            kwargs=lambda w: {"slug": _fund(w).slug, "pk": _pool_member(w).pk},
            note="without a reason: the form again, nobody removed",
        ),
    ],
    "review:conflicts": [
        Route(
            expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN),
            kwargs=lambda w: {"slug": w.staff_call.slug},
            note="the staff of the call see its conflicts",
        ),
        Route(
            POOL_STAFF,
            kwargs=lambda w: {"slug": _other_call(w).slug},
            note="another call of the same fund: not for the staff of the first call",
        ),
    ],
    "review:conflict_add": Route(
        expect(
            anonymous=LOGIN,
            staff=OK,
            admin=OK,
            call_staff=OK,
            others=FORBIDDEN,
        ),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        data={"reason": ""},
        note="an empty form: the page again with its messages, nothing added",
    ),
    "review:conflict_lift": Route(
        expect(
            anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT, others=FORBIDDEN
        ),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        data={"reason": ""},
        note="without a reason: back to the conflicts with the message, nothing lifted",
    ),
    "review:assignment": [
        Route(
            CALL_STAFF_ONLY,
            kwargs=lambda w: {"slug": w.staff_call.slug},
            note="the staff of the call assign its experts",
        ),
        Route(
            POOL_STAFF,
            kwargs=lambda w: {"slug": _other_call(w).slug},
            note="another call of the same fund: not for the staff of the first call",
        ),
    ],
    "review:assignment_start": Route(
        CALL_STAFF_ONLY,
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        data={"mode": "optimal", "reviews": "0"},
        note="reviews out of range: the page again with the message, no run",
    ),
    "review:assignment_run": Route(
        CALL_STAFF_ONLY,
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": _run(w).pk},
        note="the progress page of a run of the call",
    ),
    "review:assignment_add": Route(
        CALL_STAFF_ONLY,
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        data={},
        note="an empty form: the page again with its messages, nothing added",
    ),
    "review:assignment_remove": Route(
        _call_staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": 999999},
        note="no such pair in the call: 404 once the staff door is passed",
    ),
    "review:assignment_lock": Route(
        _call_staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": 999999},
        note="no such pair in the call: 404 once the staff door is passed",
    ),
    "review:assignment_swap": Route(
        _call_staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": 999999},
        note="no such pair in the call: 404 once the staff door is passed",
    ),
    "review:assignment_publish": Route(
        _call_staff(REDIRECT),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        note="nothing proposed: back to the page with the message",
    ),
    "review:my_assignments": Route(EXPERTS),
    "review:my_assignment": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"pk": _stranger_assignment(w).pk},
        note="another expert's assignment: 404 (the same as a missing one)",
    ),
    "review:review_form": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"pk": _stranger_assignment(w).pk},
        note="another expert's assignment: 404 (the same as a missing one)",
    ),
    "review:review_autosave": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        method="POST",
        kwargs=lambda w: {"pk": _stranger_assignment(w).pk},
        note="another expert's assignment: 404, nothing saved",
    ),
    "review:review_dashboard": [
        Route(
            CALL_STAFF_ONLY,
            kwargs=lambda w: {"slug": w.staff_call.slug},
            note="the staff of the call follow its reviews",
        ),
        Route(
            POOL_STAFF,
            kwargs=lambda w: {"slug": _other_call(w).slug},
            note="another call of the same fund: not for the staff of the first call",
        ),
    ],
    "review:review_settings": Route(
        CALL_STAFF_ONLY,
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        data={"scale_max": "0", "visibility": "never"},
        note="a scale out of range: the page again with the message, nothing saved",
    ),
    "review:review_reopen": Route(
        _call_staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": 999999},
        data={"reason": "matrix"},
        note="no such review in the call: 404 once the staff door is passed",
    ),
    "review:review_remind_late": [
        Route(
            _call_staff(REDIRECT),
            method="POST",
            kwargs=lambda w: {"slug": w.staff_call.slug},
            note="remind the late experts now: back to the reviews dashboard with a message",
        ),
        Route(
            expect(anonymous=LOGIN, **dict.fromkeys(STAFF, REDIRECT), others=FORBIDDEN),
            method="POST",
            kwargs=lambda w: {"slug": _other_call(w).slug},
            note="another call of the same fund: not for the staff of the first call",
        ),
    ],
    "review:invitation": [
        Route(
            expect(everyone=OK),
            kwargs=lambda w: {"token": _pool_member(w).token},
            note="whoever holds the link sees which fund invites; accepting checks the address",
        ),
        Route(expect(everyone=NOT_FOUND), kwargs={"token": "not-a-token"}),
    ],
    "review:my_expertise": Route(EXPERTS),
    "review:my_conflicts": Route(EXPERTS),
    "review:my_availability": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"slug": w.staff_call.slug},
        note="a call of a fund whose pool the expert is not in: 404",
    ),
    "review:my_bids": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"slug": w.staff_call.slug},
        note="the bidding of a call of a fund whose pool the expert is not in: 404",
    ),
    "review:bid_save": Route(
        expect(anonymous=LOGIN, expert=NOT_FOUND, others=FORBIDDEN),
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug, "pk": _stranger_application(w).pk},
        data={"value": "eager"},
        note="a bid on a call of another pool: 404, nothing saved",
    ),
    "review:declaration_withdraw": Route(
        expect(anonymous=LOGIN, others=NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"pk": _stranger_request(w).pk},
        note="someone else's request: 404 for everyone, the staff included",
    ),
    "review:exclusions": Route(
        expect(anonymous=LOGIN, others=NOT_FOUND),
        kwargs=lambda w: {"pk": _stranger_application(w).pk},
        note="someone else's application: 404 for everyone, the staff included",
    ),
}

# The Django admin shows the review data read-only: every change goes through an audited service.
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in (
    "expert",
    "expertiseprofile",
    "pastwork",
    "availability",
    "declaration",
    "conflictlift",
    "assignmentrun",
    "assignment",
    "reviewsettings",
    "review",
):
    REVIEW_PAGES[f"admin:review_{_model}_add"] = Route(READ_ONLY_ADMIN, optional=True)
    REVIEW_PAGES[f"admin:review_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, optional=True, note="refused before any lookup"
    )


# The API, with the pages' rule: experts only (403 for other roles), then their own assignments.
REVIEW_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/review/assignments": Route(
        expect(anonymous=UNAUTHORIZED, expert=OK, others=FORBIDDEN),
        note="the expert's own published assignments (none for the matrix's expert)",
    ),
    "GET /api/v1/review/assignments/{assignment_id}/review": Route(
        expect(anonymous=UNAUTHORIZED, expert=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"assignment_id": _stranger_assignment(w).pk},
        note="another expert's assignment: 404 (the same as a missing one)",
    ),
}
