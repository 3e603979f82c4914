"""Where each demo account starts: a page with real work on it (printed by the demo)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Application, Call
from filiere.review.models import (
    Assignment,
    Expert,
    ExpertStatus,
    PairResponse,
    PairStatus,
    Review,
    ReviewStatus,
)

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_EXPERT_EMAIL


def _path(name: str, *args: object) -> str:
    """The page's path in the site's default language (the demo prints French paths)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def landing_pages(call: Call) -> list[tuple[str, str, str]]:
    """(account, path, what is there) for each ``manage.py demo`` account: a page with real work
    on it, checked by the demo's tests. The committee's pages come with their stage; until then
    that account starts on what exists for it."""
    mine = Application.objects.filter(lead__email=DEMO_APPLICANT_EMAIL).count()
    files = Application.objects.filter(call=call).count()
    experts = Expert.objects.filter(fund_id=call.fund_id, status=ExpertStatus.ACTIVE).count()
    published = Assignment.objects.filter(application__call=call, status=PairStatus.PUBLISHED)
    expert_answers = list(
        published.filter(expert__user__email=DEMO_EXPERT_EMAIL).values_list("response", flat=True)
    )
    reviews = Review.objects.filter(assignment__application__call=call)
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED).count()
    my_reviews = list(
        reviews.filter(assignment__expert__user__email=DEMO_EXPERT_EMAIL).values_list(
            "status", flat=True
        )
    )
    return [
        (
            "applicant@example.org",
            _path("calls:my_applications"),
            f"{mine} files of its own: draft, submitted, correction requested, eligible",
        ),
        (
            "staff@example.org",
            _path("calls:staff_applications", call.slug),
            f"{files} applications to instruct; the audit log at {_path('calls:staff_audit')}, "
            f"the fund's {experts} experts at {_path('review:pool', call.fund.slug)}, the call's "
            f"conflicts of interest at {_path('review:conflicts', call.slug)}, its "
            f"{published.count()} published assignments at "
            f"{_path('review:assignment', call.slug)}, the reviews dashboard ({submitted} "
            f"submitted, the late ones first) at {_path('review:review_dashboard', call.slug)}",
        ),
        (
            "admin@example.org",
            _path("roles:list"),
            "roles to grant and revoke; Django admin at " + _path("admin:index"),
        ),
        ("member@example.org", _path("community:my_profile"), "a directory profile to edit"),
        (
            "expert@example.org",
            _path("review:my_assignments"),
            f"{len(expert_answers)} applications of the call to review: "
            f"{expert_answers.count(PairResponse.ACCEPTED)} accepted, "
            f"{expert_answers.count(PairResponse.PENDING)} awaiting an answer; reviews: "
            f"{my_reviews.count(ReviewStatus.SUBMITTED)} submitted, "
            f"{my_reviews.count(ReviewStatus.DRAFT)} drafts; "
            f"the fund's pool, "
            f"availability and expertise profile at {_path('review:my_expertise')}, declared "
            f"conflicts at {_path('review:my_conflicts')}",
        ),
        (
            "committee@example.org",
            _path("calls:detail", call.slug),
            "the open call, its rules and criteria",
        ),
    ]
