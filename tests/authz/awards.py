"""Authorization matrix entries of the agreements (filiere.awards).

Samples live in ``World.staff_call``: applications of the stranger, awarded; one without an
agreement (to generate), one with a draft agreement (to send), one with a sent agreement that
has a clean signed copy (the staff's page, its PDF and copy, the amendment form, the
beneficiary's page — which is the stranger's, so a 404 for every matrix role). The matrix's
roles are never on these files: the staff of the call (global or scoped) manage them, everyone
else gets 403 at the staff's doors and 404 at the readers'.
"""

from .rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Outcome, Route, expect

BAD_REQUEST = Outcome(400, label="400")

CALL_STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN)
CALL_STAFF_REDIRECT = expect(
    anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT, others=FORBIDDEN
)
CALL_STAFF_READ = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND)


def _awarded(world, name):
    from tests.awards.factories import awarded

    return world.once(
        f"awards:{name}:application",
        lambda: awarded(world.staff_call, lead=world.stranger),
    )


def _agreement(world, name, *, sent):
    from django.core.files.base import ContentFile

    from filiere.awards.models import AgreementStatus
    from tests.awards.factories import agreement

    def make():
        application, decision = _awarded(world, name)
        made = agreement(application, decision)
        if sent:
            made.status = AgreementStatus.SENT
            made.signed_copy.save("signed", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
            made.signed_copy_name = "signed.pdf"
            made.signed_copy_scan_status = "clean"
            made.save()
        return made

    return world.once(f"awards:{name}:agreement", make)


def _draft(world):
    return _agreement(world, "draft", sent=False)


def _sent(world):
    return _agreement(world, "sent", sent=True)


AWARDS_PAGES = {
    "awards:call_agreements": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"slug": w.staff_call.slug}),
    "awards:generate": Route(
        CALL_STAFF_ONLY,
        kwargs=lambda w: {
            "slug": w.staff_call.slug,
            "application_pk": _awarded(w, "to-generate")[0].pk,
        },
        note="the form (GET): nothing is generated",
    ),
    "awards:agreement": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"pk": _sent(w).pk}),
    "awards:send": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {"pk": _draft(w).pk},
        note="sent by the first staff member, refused with a message after: back to the page",
    ),
    "awards:record_signature": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {"pk": _draft(w).pk},
        note="a draft is not awaiting its signature: refused with a message, back to the page",
    ),
    "awards:amend": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"pk": _sent(w).pk}),
    "awards:pdf": Route(
        CALL_STAFF_READ,
        kwargs=lambda w: {"pk": _sent(w).pk},
        note="the staff's; the beneficiary's team once sent (tests/awards); 404 for anyone else",
    ),
    "awards:signed_copy": Route(
        CALL_STAFF_READ,
        kwargs=lambda w: {"pk": _sent(w).pk},
        note="a clean copy, for the staff and the beneficiary's team (tests/awards)",
    ),
    "awards:signed_copy_upload": Route(
        expect(
            anonymous=LOGIN,
            staff=BAD_REQUEST,
            admin=BAD_REQUEST,
            call_staff=BAD_REQUEST,
            others=NOT_FOUND,
        ),
        method="POST",
        kwargs=lambda w: {"pk": _sent(w).pk},
        note="no file: the form again (400) for those who may upload; 404 for anyone else",
    ),
    "awards:my_agreements": Route(
        expect(anonymous=LOGIN, others=OK), note="each person's own list (empty here)"
    ),
    "awards:my_agreement": Route(
        expect(anonymous=LOGIN, others=NOT_FOUND),
        kwargs=lambda w: {"pk": _sent(w).pk},
        note="the stranger's agreement: the beneficiary's page only (staff use theirs)",
    ),
}

AWARDS_API = {
    "GET /api/v1/agreements": Route(
        expect(anonymous=UNAUTHORIZED, others=OK),
        note="each caller's own list: their calls' for staff, theirs for the beneficiary",
    ),
    "GET /api/v1/agreements/{agreement_id}": Route(
        expect(anonymous=UNAUTHORIZED, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND),
        kwargs=lambda w: {"agreement_id": _sent(w).pk},
    ),
}
