"""Authorization matrix entries of the community app: pages and API operations.

Keys and rules as in expectations.py. A route whose answer depends on the object may list
several scenarios (one Route each, with its own sample and a note); build samples with the
shared factories inside the kwargs functions.
"""

from .rules import LOGIN, NOT_FOUND, OK, Route, expect

PUBLIC = expect(everyone=OK)
SIGNED_IN = expect(anonymous=LOGIN, others=OK)
STAFF_SEES_ALL = ("staff", "admin")


def _person(world, visibility: str, **extra):
    from tests.factories import PersonFactory, UserFactory

    return world.once(
        f"person:{visibility}:{extra}",
        lambda: PersonFactory(visibility=visibility, user=UserFactory(), **extra),
    )


def _organisation(world):
    from tests.factories import OrganisationFactory

    return world.once("organisation", OrganisationFactory)


COMMUNITY_PAGES = {
    "community:directory": Route(PUBLIC),
    "community:organisations": Route(PUBLIC),
    "community:organisation": Route(PUBLIC, kwargs=lambda w: {"slug": _organisation(w).slug}),
    "community:territories": Route(PUBLIC),
    "community:my_profile": Route(SIGNED_IN, note="the signed-in person's own profile"),
    "community:person": [
        Route(
            PUBLIC,
            kwargs=lambda w: {"slug": _person(w, "public").slug},
            note="public profile",
        ),
        Route(
            expect(anonymous=NOT_FOUND, others=OK),
            kwargs=lambda w: {"slug": _person(w, "members").slug},
            note="members-only profile: 404 to visitors, as if it did not exist",
        ),
        Route(
            expect(**dict.fromkeys(STAFF_SEES_ALL, OK), others=NOT_FOUND),
            kwargs=lambda w: {"slug": _person(w, "private").slug},
            note="private profile of someone else: the owner and the staff only",
        ),
        Route(
            expect(**dict.fromkeys(STAFF_SEES_ALL, OK), others=NOT_FOUND),
            kwargs=lambda w: {"slug": _person(w, "public", consent_at=None).slug},
            note="public profile without consent: not shown until consent is given",
        ),
    ],
}

# API callers sign in with a personal token (the matrix sends one per role); the rules are those
# of the pages.
COMMUNITY_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/people": Route(PUBLIC, note="lists only what the caller may see"),
    "GET /api/v1/people/{slug}": [
        Route(PUBLIC, kwargs=lambda w: {"slug": _person(w, "public").slug}, note="public"),
        Route(
            expect(anonymous=NOT_FOUND, others=OK),
            kwargs=lambda w: {"slug": _person(w, "members").slug},
            note="members-only profile: 404 without a token",
        ),
        Route(
            expect(**dict.fromkeys(STAFF_SEES_ALL, OK), others=NOT_FOUND),
            kwargs=lambda w: {"slug": _person(w, "private").slug},
            note="private profile of someone else: the staff only",
        ),
    ],
    "GET /api/v1/organisations": Route(PUBLIC),
    "GET /api/v1/organisations/{slug}": Route(
        PUBLIC, kwargs=lambda w: {"slug": _organisation(w).slug}
    ),
    "GET /api/v1/territories": Route(PUBLIC),
    "GET /api/v1/territories/{code}": Route(PUBLIC, kwargs={"code": "mel"}),
    "GET /api/v1/sectors": Route(PUBLIC),
    "GET /api/v1/professions": Route(PUBLIC),
}
