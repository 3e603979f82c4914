"""Authorization matrix entries of the offers and needs board, its moderation and "For you".

The board is the members': anonymous visitors are sent to sign in, every signed-in role reads
the listed posts and posts its own. Samples are the stranger's posts: a listed one (every member
reads it), a pending one (its author and the staff only: 404 for the other members), and the
same listed one as someone else's post to edit, withdraw or renew (404 for everyone, staff
included). Moderation is the global staff's and administrators' (403 for the others, the
call-scoped staff included); the matrix moderates a post that does not exist, so nothing changes.
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

MEMBERS = expect(anonymous=LOGIN, others=OK)
NOT_THEIRS = expect(anonymous=LOGIN, others=NOT_FOUND)
MODERATORS = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
API_MEMBERS = expect(anonymous=UNAUTHORIZED, others=OK)


def _post(world, status="published"):
    from tests.matchmaking.board_factories import PostFactory

    return world.once(
        f"matchmaking:post:{status}",
        lambda: PostFactory(author=world.stranger, title=f"Matrix {status} post", status=status),
    )


def _listed(world):
    return {"pk": _post(world).pk}


def _pending(world):
    return {"pk": _post(world, "pending").pk}


BOARD_PAGES = {
    "matchmaking:board": Route(MEMBERS),
    "matchmaking:post": [
        Route(MEMBERS, kwargs=_listed, note="a listed post of the stranger"),
        Route(
            expect(anonymous=LOGIN, staff=OK, admin=OK, others=NOT_FOUND),
            kwargs=_pending,
            note="awaiting moderation: its author and the staff only",
        ),
    ],
    "matchmaking:post_create": [
        Route(MEMBERS),
        Route(MEMBERS, method="POST", data={}, note="an empty form: the page again"),
    ],
    "matchmaking:post_edit": Route(NOT_THEIRS, kwargs=_listed, note="the stranger's post"),
    "matchmaking:post_withdraw": Route(
        NOT_THEIRS, method="POST", kwargs=_listed, note="the stranger's post: untouched"
    ),
    "matchmaking:post_renew": Route(
        NOT_THEIRS, method="POST", kwargs=_listed, note="the stranger's post: untouched"
    ),
    "matchmaking:my_posts": Route(MEMBERS, note="their own posts only"),
    "matchmaking:for_you": Route(MEMBERS, note="from their own profile"),
    "matchmaking:digests": Route(
        expect(anonymous=LOGIN, others=REDIRECT),
        method="POST",
        data={},
        note="their own consents (both withdrawn), back to For you",
    ),
    "matchmaking:moderation": Route(MODERATORS),
    "matchmaking:publish": Route(
        expect(anonymous=LOGIN, staff=NOT_FOUND, admin=NOT_FOUND, others=FORBIDDEN),
        method="POST",
        kwargs={"pk": 999999},
        note="no such post: 404 once the staff door is passed",
    ),
    "matchmaking:refuse": Route(
        expect(anonymous=LOGIN, staff=NOT_FOUND, admin=NOT_FOUND, others=FORBIDDEN),
        method="POST",
        kwargs={"pk": 999999},
        data={"reason": "matrix"},
        note="no such post: 404 once the staff door is passed",
    ),
}

BOARD_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/posts": Route(API_MEMBERS, note="the listed posts"),
    "POST /api/v1/posts": Route(
        expect(anonymous=UNAUTHORIZED, others=INVALID),
        note="no body: refused before anything is written",
    ),
    "GET /api/v1/posts/{post_id}": [
        Route(API_MEMBERS, kwargs=lambda w: {"post_id": _post(w).pk}, note="a listed post"),
        Route(
            expect(anonymous=UNAUTHORIZED, staff=OK, admin=OK, others=NOT_FOUND),
            kwargs=lambda w: {"post_id": _post(w, "pending").pk},
            note="awaiting moderation: its author and the staff only",
        ),
    ],
    "GET /api/v1/posts/{post_id}/suggestions": Route(
        expect(anonymous=UNAUTHORIZED, staff=OK, admin=OK, others=NOT_FOUND),
        kwargs=lambda w: {"post_id": _post(w).pk},
        note="the stranger's post: its author's and the staff's",
    ),
}


# The Django admin shows the offers and needs, the digests sent and the suggestion runs
# read-only: every change goes through an audited service (the runs: their task).
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in ("post", "digestsent", "suggestionrun"):
    BOARD_PAGES[f"admin:matchmaking_{_model}_add"] = Route(READ_ONLY_ADMIN)
    BOARD_PAGES[f"admin:matchmaking_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, note="refused before any lookup"
    )
