"""Authorization matrix entries of call design (staff), the public call pages, feeds and API."""

from .rules import ADMIN_LOGIN, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Route, expect

PUBLIC = expect(everyone=OK)
STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
STAFF_PREVIEW = expect(staff=OK, admin=OK, others=NOT_FOUND)


def _call(world, *, published=True, with_pdf=False):
    from tests.calls.design_factories import DesignCallFactory

    return world.once(
        f"design-call:{published}:{with_pdf}",
        lambda: DesignCallFactory(published=published, with_pdf=with_pdf),
    )


def _fund(world):
    from tests.factories import FundFactory

    return world.once("design-fund", FundFactory)


def _pk(world):
    return {"pk": _call(world).pk}


def _slug(world, **kwargs):
    return {"slug": _call(world, **kwargs).slug}


DESIGN_PAGES: dict[str, Route | list[Route]] = {
    "calls:design_funds": Route(STAFF_ONLY),
    "calls:design_fund_edit": Route(STAFF_ONLY, kwargs=lambda w: {"pk": _fund(w).pk}),
    "calls:design_calls": Route(STAFF_ONLY),
    "calls:design_call_create": Route(STAFF_ONLY),
    "calls:design_call": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_edit": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_cofunders": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_criteria": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_documents": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_questions": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_rules": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_clone": Route(STAFF_ONLY, kwargs=_pk),
    "calls:design_call_publish": Route(
        expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN),
        method="POST",
        kwargs=_pk,
        data={"published": "1"},
        note="publishes, then back to the call's overview",
    ),
    # Django admin: calls change on the design pages only (validated, audited).
    "admin:calls_call_add": Route(expect(admin=FORBIDDEN, others=ADMIN_LOGIN)),
    "admin:calls_call_delete": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN), kwargs={"object_id": 0}
    ),
    "admin:calls_fund_delete": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN), kwargs={"object_id": 0}
    ),
    # Public pages and feeds
    "calls:list": Route(PUBLIC),
    "calls:calendar": Route(PUBLIC),
    "calls:open_feed": Route(PUBLIC),
    "calls:detail": [
        Route(PUBLIC, kwargs=_slug, note="published call"),
        Route(
            STAFF_PREVIEW,
            kwargs=lambda w: _slug(w, published=False),
            note="hidden call: a preview for staff, 404 to everyone else",
        ),
    ],
    "calls:rules_pdf": [
        Route(PUBLIC, kwargs=lambda w: _slug(w, with_pdf=True), note="published, with a PDF"),
        Route(expect(everyone=NOT_FOUND), kwargs=_slug, note="no PDF uploaded"),
        Route(
            STAFF_PREVIEW,
            kwargs=lambda w: _slug(w, published=False, with_pdf=True),
            note="hidden call's PDF",
        ),
    ],
}

DESIGN_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/calls": Route(PUBLIC),
    "GET /api/v1/calls/{slug}": [
        Route(PUBLIC, kwargs=_slug, note="published call"),
        Route(
            expect(everyone=NOT_FOUND),
            kwargs=lambda w: _slug(w, published=False),
            note="hidden call: 404, even to staff",
        ),
    ],
}
