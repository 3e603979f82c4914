"""Authorization matrix entries of the applying pages (applicant side and submission).

Samples: a draft and a submitted application led by the `stranger` (someone else's: 404 for
every role, staff included — staff read applications through the instruction pages), and a draft
led by the matrix's `applicant` user (its own: 200 for it, 404 for the others). Document
downloads are the exception: the staff may download clean files of any application.
"""

from .rules import LOGIN, NOT_FOUND, OK, UNAUTHORIZED, Route, expect

SIGNED_IN = expect(anonymous=LOGIN, others=OK)
SOMEONE_ELSES = expect(anonymous=LOGIN, others=NOT_FOUND)
OWN_FOR_APPLICANT = expect(anonymous=LOGIN, applicant=OK, others=NOT_FOUND)


def _call(world):
    from tests.calls.apply_factories import OpenCallFactory

    return world.once("apply:call", OpenCallFactory)


def _draft(world):
    from tests.calls.apply_factories import DraftFactory

    return world.once("apply:draft", lambda: DraftFactory(call=_call(world), lead=world.stranger))


def _own_draft(world):
    from tests.calls.apply_factories import DraftFactory

    return world.once(
        "apply:own",
        lambda: DraftFactory(call=_call(world), lead=world.users["applicant"]),
    )


def _submitted(world):
    def make():
        from django.utils import timezone

        from filiere.calls.models import Submission
        from tests.calls.apply_factories import DraftFactory

        application = DraftFactory(
            call=_call(world), lead=world.stranger, state="submitted", submitted_at=timezone.now()
        )
        Submission.objects.create(
            application=application,
            arrived_at=application.submitted_at,
            submitted_at=application.submitted_at,
            submitted_by=world.stranger,
            sha256="0" * 64,
            content={"reference": application.reference, "documents": []},
        )
        return application

    return world.once("apply:submitted", make)


def _document(world):
    from tests.calls.apply_factories import stored_document

    return world.once("apply:document", lambda: stored_document(_draft(world)))


def _member(world):
    from filiere.calls.models import TeamMember

    return world.once(
        "apply:member",
        lambda: TeamMember.objects.create(
            application=_draft(world), email="invited@example.org", role="author"
        ),
    )


def _pk(sample):
    return lambda w: {"pk": sample(w).pk}


def _step(sample):
    return lambda w: {"pk": sample(w).pk, "step": "project"}


def _both(kwargs_of):
    """Someone else's application (404) and the applicant's own (200 for it)."""
    return [
        Route(SOMEONE_ELSES, kwargs=kwargs_of(_draft), note="someone else's application"),
        Route(OWN_FOR_APPLICANT, kwargs=kwargs_of(_own_draft), note="the applicant's own draft"),
    ]


APPLICANT_PAGES: dict[str, Route | list[Route]] = {
    "calls:application_create": Route(
        SIGNED_IN,
        kwargs=lambda w: {"slug": _call(w).slug},
        note="an open call; the page says how to get an organisation when one has none",
    ),
    "calls:my_applications": Route(SIGNED_IN, note="only the user's own applications"),
    "calls:application_detail": _both(_pk),
    "calls:application_step": _both(_step),
    "calls:application_autosave": Route(
        SOMEONE_ELSES, method="POST", kwargs=_pk(_draft), data={"section": "project"}
    ),
    "calls:team_invite": Route(
        SOMEONE_ELSES,
        method="POST",
        kwargs=_pk(_draft),
        data={"email": "x@example.org", "role": "author"},
    ),
    "calls:team_remove": Route(
        SOMEONE_ELSES,
        method="POST",
        kwargs=lambda w: {"pk": _draft(w).pk, "member_id": _member(w).pk},
    ),
    "calls:document_upload": Route(SOMEONE_ELSES, method="POST", kwargs=_pk(_draft)),
    "calls:application_submit": Route(SOMEONE_ELSES, method="POST", kwargs=_pk(_draft)),
    "calls:application_resubmit": Route(
        SOMEONE_ELSES,
        method="POST",
        kwargs=_pk(_submitted),
        note="only the lead sends a corrected file; anyone else's is a 404",
    ),
    "calls:application_receipt": Route(SOMEONE_ELSES, kwargs=_pk(_submitted)),
    "calls:application_receipt_pdf": Route(SOMEONE_ELSES, kwargs=_pk(_submitted)),
    "calls:application_withdraw": Route(SOMEONE_ELSES, kwargs=_pk(_submitted)),
    "calls:document_download": Route(
        expect(anonymous=LOGIN, staff=OK, admin=OK, others=NOT_FOUND),
        kwargs=_pk(_document),
        note="a clean file of someone else's application: the team and the staff only",
    ),
    "calls:document_delete": Route(SOMEONE_ELSES, method="POST", kwargs=_pk(_document)),
    "calls:invitation_accept": [
        Route(
            SIGNED_IN,
            kwargs=lambda w: {"token": _member(w).invitation_token},
            note="the token is the invitation; accepting checks the invited address",
        ),
        Route(SOMEONE_ELSES, kwargs={"token": "not-a-token"}, note="unknown token"),
    ],
}


def _own_submitted(world):
    def make():
        from filiere.calls.services.submission import submit_application
        from tests.calls.apply_factories import DraftFactory, make_complete

        application = make_complete(DraftFactory(call=_call(world), lead=world.users["applicant"]))
        submit_application(application=application, by=application.lead)
        return application

    return world.once("apply:own-submitted", make)


APPLICANT_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/applications/{application_id}/receipt": [
        Route(
            expect(anonymous=UNAUTHORIZED, others=NOT_FOUND),
            kwargs=lambda w: {"application_id": _submitted(w).pk},
            note="someone else's receipt",
        ),
        Route(
            expect(anonymous=UNAUTHORIZED, applicant=OK, others=NOT_FOUND),
            kwargs=lambda w: {"application_id": _own_submitted(w).pk},
            note="the applicant's own receipt",
        ),
    ],
}
