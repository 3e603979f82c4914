"""Authorization matrix entries of the showcase of funded works (filiere.showcase).

Samples live in ``World.staff_call``: the stranger's funded applications (signed agreements),
one with a published page and its image (the public pages, the API), one with a page awaiting
approval and its image (the staff's review, approval and preview). The matrix's roles are never
on these files: the public pages are everyone's; the team's pages answer 404 to everyone (the
sign-in page to anonymous visitors); the staff of the call (global or scoped) moderate, everyone
else gets 403 at the call's list and 404 at an entry.
"""

from .rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Outcome, Route, expect

UNPROCESSABLE = Outcome(422, label="422")

PUBLIC = expect(everyone=OK)
TEAM_ONLY = expect(anonymous=LOGIN, others=NOT_FOUND)
CALL_STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN)
CALL_STAFF_READ = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND)


def _case(world, name):
    from tests.showcase.factories import funded

    return world.once(
        f"showcase:{name}:case", lambda: funded(world.staff_call, lead=world.stranger)
    )


def _published(world):
    from tests.showcase.factories import published

    return world.once("showcase:published", lambda: published(_case(world, "published")))


def _submitted(world):
    from filiere.showcase import services
    from filiere.showcase.models import Entry
    from tests.showcase.factories import clean_image, draft

    def make():
        case = _case(world, "submitted")
        entry = draft(case, title="En attente")
        clean_image(entry, case.lead)
        return services.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))

    return world.once("showcase:submitted", make)


def _reference(world):
    return _submitted(world).application.reference


def _draft_image(world):
    return _submitted(world).images.get()


SHOWCASE_PAGES = {
    "showcase:gallery": Route(PUBLIC),
    "showcase:project": Route(PUBLIC, kwargs=lambda w: {"slug": _published(w).slug}),
    "showcase:image": Route(
        PUBLIC,
        kwargs=lambda w: {"pk": _published(w).images.get().pk},
        note="a clean image of a published page",
    ),
    "showcase:edit": Route(
        TEAM_ONLY,
        kwargs=lambda w: {"reference": _reference(w)},
        note="the stranger's page: its team only (tests/showcase)",
    ),
    "showcase:submit": Route(
        TEAM_ONLY, method="POST", kwargs=lambda w: {"reference": _reference(w)}
    ),
    "showcase:withdraw": Route(
        TEAM_ONLY, method="POST", kwargs=lambda w: {"reference": _reference(w)}
    ),
    "showcase:image_upload": Route(
        TEAM_ONLY, method="POST", kwargs=lambda w: {"reference": _reference(w)}
    ),
    "showcase:image_remove": Route(
        TEAM_ONLY,
        method="POST",
        kwargs=lambda w: {"reference": _reference(w), "pk": _draft_image(w).pk},
    ),
    "showcase:image_preview": Route(
        CALL_STAFF_READ,
        kwargs=lambda w: {"pk": _draft_image(w).pk},
        note="a draft's image: its team (tests/showcase) and the staff who moderate it",
    ),
    "showcase:moderation": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"slug": w.staff_call.slug}),
    "showcase:review": Route(CALL_STAFF_READ, kwargs=lambda w: {"pk": _submitted(w).pk}),
    "showcase:approve": Route(
        expect(
            anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT, others=NOT_FOUND
        ),
        method="POST",
        kwargs=lambda w: {"pk": _submitted(w).pk},
        note="without the version read: refused with a message, back to the page",
    ),
    "showcase:request_changes": Route(
        expect(
            anonymous=LOGIN,
            staff=UNPROCESSABLE,
            admin=UNPROCESSABLE,
            call_staff=UNPROCESSABLE,
            others=NOT_FOUND,
        ),
        method="POST",
        kwargs=lambda w: {"pk": _submitted(w).pk},
        note="without a reason: the form again (422), nothing changed",
    ),
}

SHOWCASE_API = {
    "GET /api/v1/showcase": Route(PUBLIC),
    "GET /api/v1/showcase/{slug}": Route(PUBLIC, kwargs=lambda w: {"slug": _published(w).slug}),
}
