"""Authorization matrix entries of matchmaking's contacts (introductions, blocks, reports and the
staff's queue) and find partners.

Samples: ``_other`` and ``_third``, two members with members-only profiles who are none of the
matrix's roles; an introduction between them (someone else's for every role: 404); a published
post of ``_other``; a draft application of the stranger (someone else's: 404 on find partners).
Every signed-in role may ask to be introduced to ``_other`` (the page with its form), report them,
block them; only the staff (global staff and administrators) open the reports queue.
"""

from .rules import (
    ADMIN_LOGIN,
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

INVALID = Outcome(422, label="422")
SIGNED_IN = expect(anonymous=LOGIN, others=OK)
SIGNED_IN_REDIRECT = expect(anonymous=LOGIN, others=REDIRECT)
SOMEONE_ELSES = expect(anonymous=LOGIN, others=NOT_FOUND)
STAFF = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)


def _member(world, key, first_name):
    def make():
        from filiere.community.models import Visibility
        from tests.factories import PersonFactory, UserFactory

        user = UserFactory(first_name=first_name, last_name="Matrix")
        PersonFactory(
            user=user, first_name=first_name, last_name="Matrix", visibility=Visibility.MEMBERS
        )
        return user

    return world.once(key, make)


def _other(world):
    return _member(world, "mm:contacts:other", "Other")


def _third(world):
    return _member(world, "mm:contacts:third", "Third")


def _introduction(world):
    from filiere.matchmaking.models import Introduction

    return world.once(
        "mm:contacts:introduction",
        lambda: Introduction.objects.create(
            requester=_other(world), recipient=_third(world), message="Matrix"
        ),
    )


def _block(world):
    from filiere.matchmaking.models import Block

    return world.once(
        "mm:contacts:block",
        lambda: Block.objects.create(blocker=_other(world), blocked=_third(world)),
    )


def _report(world):
    from filiere.matchmaking.models import Report

    return world.once(
        "mm:contacts:report",
        lambda: Report.objects.create(
            reporter=_third(world), reported_user=_other(world), reason="spam"
        ),
    )


def _post(world):
    from datetime import timedelta

    from django.utils import timezone

    from filiere.matchmaking.models import Post

    return world.once(
        "mm:contacts:post",
        lambda: Post.objects.create(
            kind="offer",
            title="Matrix offer",
            description="Motion capture days",
            author=_other(world),
            expires_on=timezone.localdate() + timedelta(days=30),
            status="published",
        ),
    )


def _draft(world):
    from tests.calls.apply_factories import DraftFactory

    return world.once("mm:contacts:draft", lambda: DraftFactory(lead=world.stranger))


def _slug(world):
    return {"slug": _other(world).person.slug}


def _on_introduction(world):
    return {"pk": _introduction(world).pk}


def _on_draft(world):
    return {"pk": _draft(world).pk}


CONTACTS_PAGES = {
    "matchmaking:introductions": Route(SIGNED_IN, note="the member's own"),
    "matchmaking:contact_consent": Route(
        SIGNED_IN_REDIRECT, method="POST", data={"accepts": "yes"}, note="the member's own"
    ),
    "matchmaking:ask_person": [
        Route(SIGNED_IN, kwargs=_slug, note="a members-only profile: the form"),
        Route(SIGNED_IN, method="POST", kwargs=_slug, data={}, note="no message: the form again"),
        Route(SOMEONE_ELSES, kwargs={"slug": "no-such-person"}),
    ],
    "matchmaking:ask_post": [
        Route(SIGNED_IN, kwargs=lambda w: {"pk": _post(w).pk}, note="a published post"),
        Route(
            SIGNED_IN,
            method="POST",
            kwargs=lambda w: {"pk": _post(w).pk},
            data={},
            note="no message: the form again",
        ),
    ],
    "matchmaking:introduction": Route(
        SOMEONE_ELSES, kwargs=_on_introduction, note="between two other members"
    ),
    "matchmaking:introduction_accept": Route(SOMEONE_ELSES, method="POST", kwargs=_on_introduction),
    "matchmaking:introduction_decline": Route(
        SOMEONE_ELSES, method="POST", kwargs=_on_introduction
    ),
    "matchmaking:introduction_withdraw": Route(
        SOMEONE_ELSES, method="POST", kwargs=_on_introduction
    ),
    "matchmaking:introduction_block": Route(SOMEONE_ELSES, method="POST", kwargs=_on_introduction),
    "matchmaking:person_block": [
        Route(SIGNED_IN_REDIRECT, method="POST", kwargs=_slug, note="blocks that member"),
        Route(SOMEONE_ELSES, method="POST", kwargs={"slug": "no-such-person"}),
    ],
    "matchmaking:unblock": Route(
        SOMEONE_ELSES,
        method="POST",
        kwargs=lambda w: {"pk": _block(w).pk},
        note="someone else's block",
    ),
    "matchmaking:report": [
        Route(SIGNED_IN, kwargs=lambda w: {"kind": "person", "ref": _slug(w)["slug"]}),
        Route(SIGNED_IN, kwargs=lambda w: {"kind": "post", "ref": _post(w).pk}),
        Route(
            SIGNED_IN,
            method="POST",
            kwargs=lambda w: {"kind": "person", "ref": _slug(w)["slug"]},
            data={},
            note="no reason: the form again",
        ),
        Route(
            SOMEONE_ELSES,
            kwargs=lambda w: {"kind": "introduction", "ref": _introduction(w).pk},
            note="a request between two other members",
        ),
    ],
    "matchmaking:reports": Route(STAFF, note="the moderators' queue"),
    "matchmaking:report_close": Route(
        expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN),
        method="POST",
        kwargs=lambda w: {"pk": _report(w).pk},
        data={"outcome": ""},
        note="no outcome: refused with a message, the report stays open",
    ),
    "matchmaking:find_partners": Route(
        SOMEONE_ELSES, kwargs=_on_draft, note="someone else's draft"
    ),
    "matchmaking:find_partners_invite": Route(
        SOMEONE_ELSES,
        method="POST",
        kwargs=_on_draft,
        data=lambda w: {"person": _slug(w)["slug"], "role": "author"},
        note="someone else's draft",
    ),
}

API_NOT_YOURS = expect(anonymous=UNAUTHORIZED, others=NOT_FOUND)
API_EMPTY_BODY = expect(anonymous=UNAUTHORIZED, others=INVALID)

CONTACTS_API = {
    "GET /api/v1/introductions": Route(
        expect(anonymous=UNAUTHORIZED, others=OK), note="the caller's own"
    ),
    "POST /api/v1/introductions": Route(API_EMPTY_BODY, note="no body: nobody to ask"),
    "POST /api/v1/introductions/{introduction_id}/accept": Route(
        API_NOT_YOURS,
        kwargs=lambda w: {"introduction_id": _introduction(w).pk},
        note="between two other members",
    ),
    "POST /api/v1/introductions/{introduction_id}/decline": Route(
        API_NOT_YOURS,
        kwargs=lambda w: {"introduction_id": _introduction(w).pk},
        note="between two other members",
    ),
    "POST /api/v1/blocks": Route(API_EMPTY_BODY, note="no body: nobody to block"),
    "POST /api/v1/reports": Route(API_EMPTY_BODY, note="no body: nothing to report"),
}


# The Django admin shows introductions, blocks and reports read-only:
# every change goes through an audited service.
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in ("introduction", "block", "report"):
    CONTACTS_PAGES[f"admin:matchmaking_{_model}_add"] = Route(READ_ONLY_ADMIN)
    CONTACTS_PAGES[f"admin:matchmaking_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, note="refused before any lookup"
    )
