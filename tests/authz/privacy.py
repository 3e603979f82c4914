"""Authorization matrix entries of the privacy pages (/me/privacy/), the member's works
(community's "my works") and ``GET /api/v1/me/export``.

Everything here is about the caller's own data: signed-in people get their own page, anonymous
visitors the sign-in page. The export and the deletion are sensitive: a POST without a recent
password (or second factor) confirmation is sent to allauth's reauthentication page first (the
matrix signs in without one). Someone else's work answers 404.
"""

from .rules import LOGIN, NOT_FOUND, OK, REAUTHENTICATE, REDIRECT, UNAUTHORIZED, Route, expect

SIGNED_IN = expect(anonymous=LOGIN, others=OK)
RECONFIRMED = expect(anonymous=LOGIN, others=REAUTHENTICATE)
NOT_YOURS = expect(anonymous=LOGIN, others=NOT_FOUND)


def _stranger_work(world):
    def make():
        from filiere.community.models import Work
        from tests.factories import PersonFactory

        return Work.objects.create(person=PersonFactory(user=world.stranger), title="Theirs")

    return {"pk": world.once("privacy:work", make).pk}


PRIVACY_PAGES = {
    "privacy:home": Route(SIGNED_IN),
    "privacy:export": [
        Route(SIGNED_IN, note="says what the export holds"),
        Route(RECONFIRMED, method="POST", note="the download: the password again first"),
    ],
    "privacy:consents": Route(SIGNED_IN),
    "privacy:consent_change": Route(
        expect(anonymous=LOGIN, others=REDIRECT),
        method="POST",
        data={"purpose": "contact", "granted": "yes"},
        note="records the caller's own consent, then back to the list",
    ),
    "privacy:delete": [
        Route(SIGNED_IN, note="what would be deleted and kept, and the confirmation form"),
        Route(
            RECONFIRMED,
            method="POST",
            data={"email": "someone@example.org"},
            note="the password again before anything else",
        ),
    ],
    "community:my_works": Route(SIGNED_IN),
    "community:my_work_edit": Route(NOT_YOURS, kwargs=_stranger_work, note="someone else's"),
    "community:my_work_delete": Route(
        NOT_YOURS, method="POST", kwargs=_stranger_work, note="someone else's"
    ),
}

PRIVACY_API = {
    "GET /api/v1/me/export": Route(expect(anonymous=UNAUTHORIZED, others=OK)),
}
