"""Authorization matrix entries of the community app: pages and API operations.

Keys and rules as in expectations.py. A route whose answer depends on the object may list
several scenarios (one Route each, with its own sample and a note); build samples with the
shared factories inside the kwargs functions.
"""

from .rules import ADMIN_LOGIN, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Route, expect

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


# --- Self-service organisations and affiliations ------------------------------------------------


def _pending_request(world, manager_role: str | None = None):
    """A pending request to join an organisation managed by `stranger` (or by the user of
    `manager_role`), made by a new member."""
    from filiere.community.models import Affiliation, AffiliationRequest, AffiliationRole
    from tests.factories import OrganisationFactory, PersonFactory, UserFactory

    def make():
        organisation = OrganisationFactory()
        manager = world.users[manager_role] if manager_role else world.stranger
        Affiliation.objects.create(
            person=PersonFactory(user=manager),
            organisation=organisation,
            role=AffiliationRole.FOUNDER,
            is_manager=True,
        )
        return AffiliationRequest.objects.create(
            person=PersonFactory(user=UserFactory()),
            organisation=organisation,
            role=AffiliationRole.EMPLOYEE,
        )

    return world.once(f"affiliation-request:{manager_role}", make)


# The manager of the organisation or the staff: they land back on "My organisations" (a request
# already decided by the staff before the administrator's turn says so there); 404 for others.
DECIDERS = expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=NOT_FOUND)

COMMUNITY_PAGES |= {
    "community:my_organisations": Route(SIGNED_IN, note="the user's own ties and requests"),
    "community:organisation_new": Route(SIGNED_IN),
    "community:organisation_create": [
        Route(SIGNED_IN, kwargs={"country": "fr"}, note="French organisation"),
        Route(SIGNED_IN, kwargs={"country": "be"}, note="Belgian organisation"),
        Route(
            expect(anonymous=LOGIN, others=NOT_FOUND),
            kwargs={"country": "de"},
            note="only French and Belgian organisations",
        ),
    ],
    "community:organisation_join": Route(
        SIGNED_IN, kwargs=lambda w: {"slug": _organisation(w).slug}, note="any member may ask"
    ),
    "community:affiliation_confirm": Route(
        DECIDERS,
        method="POST",
        kwargs=lambda w: {"pk": _pending_request(w).pk},
        note="a request to join an organisation that someone else manages",
    ),
    "community:affiliation_refuse": [
        Route(
            DECIDERS,
            method="POST",
            kwargs=lambda w: {"pk": _pending_request(w).pk},
            note="a request to join an organisation that someone else manages",
        ),
        Route(
            expect(
                anonymous=LOGIN, member=REDIRECT, staff=REDIRECT, admin=REDIRECT, others=NOT_FOUND
            ),
            method="POST",
            kwargs=lambda w: {"pk": _pending_request(w, "member").pk},
            note="the member manages the organisation",
        ),
    ],
}


def _tie(world):
    from filiere.community.models import Affiliation, AffiliationRole
    from tests.factories import PersonFactory

    return world.once(
        "tie",
        lambda: Affiliation.objects.create(
            person=PersonFactory(),
            organisation=_organisation(world),
            role=AffiliationRole.EMPLOYEE,
        ),
    )


# Staff correct who acts for an organisation (a reason is required: the matrix posts none, so
# nothing changes and the page says why); everyone else is refused.
TIE_CORRECTION = expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN)
COMMUNITY_PAGES |= {
    name: Route(
        TIE_CORRECTION,
        method="POST",
        kwargs=lambda w: {"slug": _organisation(w).slug, "pk": _tie(w).pk},
    )
    for name in ("community:affiliation_end", "community:affiliation_make_manager")
}


# --- The skills vocabulary ----------------------------------------------------------------------


def _skill(world):
    from filiere.community.models import Skill, SkillStatus

    return world.once(
        "skill:proposed",
        lambda: Skill.objects.create(
            slug="authz-proposed-tag", name="Authz proposed tag", status=SkillStatus.PROPOSED
        ),
    )


# The staff curate the vocabulary; other members are refused. The matrix posts nothing, so the
# edit and merge forms answer 200 with their errors.
CURATORS = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
COMMUNITY_PAGES |= {
    "community:skills": Route(CURATORS),
    "community:skill_new": Route(CURATORS),
    "community:skill_edit": Route(CURATORS, kwargs=lambda w: {"slug": _skill(w).slug}),
    "community:skill_merge": Route(CURATORS, kwargs=lambda w: {"slug": _skill(w).slug}),
    "community:organisation_skills": Route(
        CURATORS,
        kwargs=lambda w: {"slug": _organisation(w).slug},
        note="an organisation that nobody in the matrix manages: the staff only",
    ),
}
COMMUNITY_API |= {
    "GET /api/v1/skills": Route(PUBLIC, note="curated entries; the staff see proposed ones too"),
}


# The Django admin shows the skills vocabulary and the members' works read-only:
# every change goes through an audited service.
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in ("skill", "work"):
    COMMUNITY_PAGES[f"admin:community_{_model}_add"] = Route(READ_ONLY_ADMIN)
    COMMUNITY_PAGES[f"admin:community_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, note="refused before any lookup"
    )
