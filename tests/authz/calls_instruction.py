"""Authorization matrix entries of the instruction pages and the applications API.

Samples: a submitted application of the `stranger` (a member who holds none of the matrix
roles) on a closed call — the call of `call_staff`'s scoped grant — with a message carrying an
attachment, a label and a finished export requested by `staff`. Instruction pages are for
staff: anonymous visitors are sent to sign in, other roles get 403. `call_staff` gets what the
staff get on every instruction page of its call (list, application, decisions, transitions,
messages, notes, labels, bulk actions, saved filters, exports) and 403 on other calls; an export
is read by whoever asked for it only (404 for the others). The list of the calls one instructs
is for staff and `call_staff`. The applicant team's message pages answer 404 to anyone not on
the team (staff included).
"""

from .rules import (
    CALL_STAFF,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Outcome,
    Route,
    expect,
)

BAD_REQUEST = Outcome(400, label="400")
UNPROCESSABLE = Outcome(422, label="422")

STAFF_PAGE = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
STAFF_REDIRECT = expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN)
# An empty form reaches the view: staff get the page back with its errors (400).
STAFF_EMPTY_FORM = expect(anonymous=LOGIN, staff=BAD_REQUEST, admin=BAD_REQUEST, others=FORBIDDEN)
TEAM_ONLY = expect(anonymous=LOGIN, others=NOT_FOUND)
# Instruction of one call: the call-scoped grant counts like the global staff role.
CALL_STAFF_PAGE = expect(anonymous=LOGIN, staff=OK, admin=OK, **{CALL_STAFF: OK}, others=FORBIDDEN)
CALL_STAFF_REDIRECT = expect(
    anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, **{CALL_STAFF: REDIRECT}, others=FORBIDDEN
)
CALL_STAFF_NOT_FOUND = expect(
    anonymous=LOGIN, staff=NOT_FOUND, admin=NOT_FOUND, **{CALL_STAFF: NOT_FOUND}, others=FORBIDDEN
)
# One's own export: the one `staff` asked for; the other staff of the call get 404.
OWN_EXPORT = expect(
    anonymous=LOGIN, staff=OK, admin=NOT_FOUND, **{CALL_STAFF: NOT_FOUND}, others=FORBIDDEN
)
CALL_STAFF_EMPTY_FORM = expect(
    anonymous=LOGIN,
    staff=BAD_REQUEST,
    admin=BAD_REQUEST,
    **{CALL_STAFF: BAD_REQUEST},
    others=FORBIDDEN,
)


def _application(world):
    def make():
        from tests.calls.instruction_factories import ApplicationFactory

        return ApplicationFactory(call=world.staff_call, lead=world.stranger, state="submitted")

    return world.once("instruction:application", make)


def _other_call_application(world):
    def make():
        from tests.calls.instruction_factories import ApplicationFactory

        return ApplicationFactory(lead=world.stranger, state="submitted")

    return world.once("instruction:other-call-application", make)


def _own_application(world, role: str):
    """An application of the staff call led by the matrix user of ``role`` (their own file)."""

    def make():
        from tests.calls.instruction_factories import ApplicationFactory

        return ApplicationFactory(call=world.staff_call, lead=world.users[role], state="submitted")

    return world.once(f"instruction:own:{role}", make)


def _app_kwargs(world) -> dict:
    application = _application(world)
    return {"slug": application.call.slug, "reference": application.reference}


def _message(world):
    def make():
        from django.core.files.base import ContentFile

        from filiere.calls.models import Message

        message = Message(
            application=_application(world),
            author=world.stranger,
            body="Voici le devis corrigé.",
            attachment_name="devis.pdf",
            attachment_scan_status="clean",  # as if the antivirus had checked it
        )
        message.attachment.save("a1b2c3.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        message.save()
        return message

    return world.once("instruction:message", make)


def _label(world):
    def make():
        from filiere.calls.models import Label

        label = Label.objects.create(call=_application(world).call, name="à revoir")
        label.applications.add(_application(world))
        return label

    return world.once("instruction:label", make)


def _export(world):
    def make():
        from django.core.files.base import ContentFile

        from filiere.calls.models import ExportJob

        job = ExportJob.objects.create(
            call=_application(world).call,
            requested_by=world.users["staff"],
            status=ExportJob.Status.DONE,
        )
        job.file.save("documents.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
        return job

    return world.once("instruction:export", make)


def _foreign_saved_filter(world):
    def make():
        from filiere.calls.models import SavedFilter

        return SavedFilter.objects.create(
            user=world.stranger, call=_application(world).call, name="theirs", query="q=x"
        )

    return world.once("instruction:saved-filter", make)


def _call_kwargs(world) -> dict:
    return {"slug": _application(world).call.slug}


INSTRUCTION_PAGES: dict[str, Route | list[Route]] = {
    "calls:staff_calls": Route(CALL_STAFF_PAGE, note="the calls the viewer instructs"),
    "calls:staff_applications": [
        Route(CALL_STAFF_PAGE, kwargs=_call_kwargs),
        Route(
            STAFF_PAGE,
            kwargs=lambda w: {"slug": _other_call_application(w).call.slug},
            note="another call: the call-scoped grant does not reach it",
        ),
    ],
    "calls:staff_export_list": [
        Route(CALL_STAFF_PAGE, kwargs=lambda w: {**_call_kwargs(w), "kind": "csv"}, note="CSV"),
        Route(CALL_STAFF_PAGE, kwargs=lambda w: {**_call_kwargs(w), "kind": "xlsx"}, note="XLSX"),
    ],
    "calls:staff_bulk": [
        Route(
            CALL_STAFF_REDIRECT, method="POST", kwargs=_call_kwargs, note="nothing selected: back"
        ),
        Route(
            STAFF_REDIRECT,
            method="POST",
            kwargs=lambda w: {"slug": _other_call_application(w).call.slug},
            note="another call: the call-scoped grant does not reach it",
        ),
    ],
    "calls:staff_save_filter": Route(
        CALL_STAFF_REDIRECT, method="POST", kwargs=_call_kwargs, note="no name: back to the list"
    ),
    "calls:staff_delete_filter": Route(
        CALL_STAFF_NOT_FOUND,
        method="POST",
        kwargs=lambda w: {**_call_kwargs(w), "pk": _foreign_saved_filter(w).pk},
        note="someone else's saved filter",
    ),
    "calls:staff_documents_zip": [
        Route(CALL_STAFF_REDIRECT, method="POST", kwargs=_call_kwargs, note="starts the export"),
        Route(
            STAFF_REDIRECT,
            method="POST",
            kwargs=lambda w: {"slug": _other_call_application(w).call.slug},
            note="another call: the call-scoped grant does not reach it",
        ),
    ],
    "calls:staff_export": Route(
        OWN_EXPORT,
        kwargs=lambda w: {**_call_kwargs(w), "pk": _export(w).pk},
        note="asked for by the staff user",
    ),
    "calls:staff_export_download": Route(
        OWN_EXPORT,
        kwargs=lambda w: {**_call_kwargs(w), "pk": _export(w).pk},
        note="asked for by the staff user",
    ),
    "calls:staff_application": [
        Route(CALL_STAFF_PAGE, kwargs=_app_kwargs),
        Route(
            STAFF_PAGE,
            kwargs=lambda w: {
                "slug": _other_call_application(w).call.slug,
                "reference": _other_call_application(w).reference,
            },
            note="an application of another call",
        ),
        Route(
            expect(
                anonymous=LOGIN, staff=FORBIDDEN, admin=OK, **{CALL_STAFF: OK}, others=FORBIDDEN
            ),
            kwargs=lambda w: {
                "slug": w.staff_call.slug,
                "reference": _own_application(w, "staff").reference,
            },
            note="led by the staff user: nobody instructs their own file",
        ),
        Route(
            expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN),
            kwargs=lambda w: {
                "slug": w.staff_call.slug,
                "reference": _own_application(w, CALL_STAFF).reference,
            },
            note="led by the call-scoped staff user: their own file",
        ),
    ],
    "calls:staff_decide": [
        Route(CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs),
        Route(
            expect(
                anonymous=LOGIN,
                staff=FORBIDDEN,
                admin=BAD_REQUEST,
                **{CALL_STAFF: BAD_REQUEST},
                others=FORBIDDEN,
            ),
            method="POST",
            kwargs=lambda w: {
                "slug": w.staff_call.slug,
                "reference": _own_application(w, "staff").reference,
            },
            note="led by the staff user: refused before the form",
        ),
    ],
    "calls:staff_request_correction": Route(
        CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs
    ),
    "calls:staff_transition": Route(CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs),
    "calls:staff_post_message": Route(CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs),
    "calls:staff_message_attachment": Route(
        CALL_STAFF_PAGE, kwargs=lambda w: {**_app_kwargs(w), "pk": _message(w).pk}
    ),
    "calls:staff_add_note": [
        Route(CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs),
        Route(
            STAFF_EMPTY_FORM,
            method="POST",
            kwargs=lambda w: {
                "slug": _other_call_application(w).call.slug,
                "reference": _other_call_application(w).reference,
            },
            note="an application of another call",
        ),
    ],
    "calls:staff_add_label": Route(CALL_STAFF_EMPTY_FORM, method="POST", kwargs=_app_kwargs),
    "calls:staff_remove_label": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {**_app_kwargs(w), "pk": _label(w).pk},
    ),
    "calls:staff_dossier_pdf": Route(CALL_STAFF_PAGE, kwargs=_app_kwargs),
    "calls:application_messages": Route(
        TEAM_ONLY,
        kwargs=lambda w: {"reference": _application(w).reference},
        note="someone else's application: 404, staff included (they use the staff pages)",
    ),
    "calls:application_message_attachment": Route(
        TEAM_ONLY,
        kwargs=lambda w: {"reference": _application(w).reference, "pk": _message(w).pk},
        note="someone else's application",
    ),
}

_STAFF_OR_404 = expect(
    anonymous=UNAUTHORIZED, staff=OK, admin=OK, **{CALL_STAFF: OK}, others=NOT_FOUND
)

INSTRUCTION_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/applications": Route(
        expect(anonymous=UNAUTHORIZED, others=OK), note="all for staff, own for others"
    ),
    "GET /api/v1/applications/{application_id}": Route(
        _STAFF_OR_404,
        kwargs=lambda w: {"application_id": _application(w).pk},
        note="someone else's application: 404 except for staff",
    ),
    "POST /api/v1/applications/{application_id}/transitions": [
        Route(
            expect(
                anonymous=UNAUTHORIZED,
                staff=UNPROCESSABLE,
                admin=UNPROCESSABLE,
                **{CALL_STAFF: UNPROCESSABLE},
                others=NOT_FOUND,
            ),
            kwargs=lambda w: {"application_id": _application(w).pk},
            note="staff of its call reach the operation (422: no JSON body); others get 404",
        ),
        Route(
            expect(
                anonymous=UNAUTHORIZED, staff=UNPROCESSABLE, admin=UNPROCESSABLE, others=NOT_FOUND
            ),
            kwargs=lambda w: {"application_id": _other_call_application(w).pk},
            note="another call: 404 for the call-scoped grant",
        ),
    ],
    # The lead's verbs: the applying side's gatekeeper (404 for everyone else, staff included).
    "POST /api/v1/applications/{application_id}/submit": Route(
        expect(anonymous=UNAUTHORIZED, others=NOT_FOUND),
        kwargs=lambda w: {"application_id": _application(w).pk},
        note="someone else's application",
    ),
    "POST /api/v1/applications/{application_id}/resubmit": Route(
        expect(anonymous=UNAUTHORIZED, others=NOT_FOUND),
        kwargs=lambda w: {"application_id": _application(w).pk},
        note="someone else's application",
    ),
    "POST /api/v1/applications/{application_id}/withdraw": Route(
        expect(anonymous=UNAUTHORIZED, others=NOT_FOUND),
        kwargs=lambda w: {"application_id": _application(w).pk},
        note="someone else's application",
    ),
}
