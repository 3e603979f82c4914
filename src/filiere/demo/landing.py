"""Where each demo account starts: a page with real work on it (printed by the demo)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from filiere.awards.models import Agreement, PaymentRequest, PaymentStatus
from filiere.awards.permissions import SHOWN_TO_BENEFICIARY
from filiere.calls.models import Application, Call
from filiere.committee.models import (
    AgendaItem,
    Decision,
    DecisionStatus,
    Letter,
    LetterStatus,
    Session,
    SessionStatus,
)
from filiere.events.models import Event, Meeting
from filiere.matchmaking.models import Introduction, Post, PostStatus, Report
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
from .events import NEXT_TITLE
from .matchmaking import DEMO_MEMBER_EMAIL


def _path(name: str, *args: object) -> str:
    """The page's path in the site's default language (the demo prints French paths)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def landing_pages(call: Call) -> list[tuple[str, str, str]]:
    """(account, path, what is there) for each ``manage.py demo`` account: a page with real work
    on it, checked by the demo's tests."""
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
    session = (
        Session.objects.filter(call=call, status=SessionStatus.OPEN).order_by("-meets_at").first()
    )
    items = AgendaItem.objects.filter(session=session).count() if session else 0
    unvoted = (
        AgendaItem.objects.filter(session=session)
        .exclude(votes__voter__email="committee@example.org")
        .count()
        if session
        else 0
    )
    outbox = Letter.objects.filter(
        status=LetterStatus.DRAFT, decision__application__call=call
    ).count()
    awaiting = Decision.objects.filter(session=session, status=DecisionStatus.PROPOSED).count()
    decided = Application.objects.filter(
        call=call, team__user__email=DEMO_APPLICANT_EMAIL, team__accepted_at__isnull=False
    ).exclude(lead__email=DEMO_APPLICANT_EMAIL)
    # The applicant's agreement: one sent to a file they lead or joined (the demo's co-applicant
    # file); the staff's agreements of the call and the payments awaiting an approval.
    agreement = (
        Agreement.objects.filter(status__in=SHOWN_TO_BENEFICIARY)
        .filter(
            Q(application__lead__email=DEMO_APPLICANT_EMAIL)
            | Q(
                application__team__user__email=DEMO_APPLICANT_EMAIL,
                application__team__accepted_at__isnull=False,
            )
        )
        .order_by("-pk")
        .first()
    )
    agreements = Agreement.objects.filter(application__call=call).count()
    to_approve = PaymentRequest.objects.filter(
        tranche__agreement__application__call=call,
        status__in=(PaymentStatus.REQUESTED, PaymentStatus.APPROVED_ONCE),
    ).count()
    pending_posts = Post.objects.filter(status=PostStatus.PENDING).count()
    reports = Report.objects.filter(status="open").count()
    waiting = Introduction.objects.filter(
        recipient__email=DEMO_MEMBER_EMAIL, status="pending"
    ).count()
    partner_day = Event.objects.filter(title_fr=NEXT_TITLE).order_by("-pk").first()
    meetings = (
        Meeting.objects.filter(request__event=partner_day)
        .filter(
            Q(request__sender__email=DEMO_MEMBER_EMAIL)
            | Q(request__recipient__email=DEMO_MEMBER_EMAIL)
        )
        .count()
        if partner_day
        else 0
    )
    member_pages = (
        f"a directory profile to edit (skills, works, availability); the needs it could answer "
        f"at {_path('matchmaking:for_you')}, {waiting} introduction request(s) to answer at "
        f"{_path('matchmaking:introductions')}"
        + (
            f", {meetings} meetings in its agenda of the next partner day at "
            f"{_path('events:agenda', partner_day.pk)}"
            if partner_day
            else ""
        )
    )
    return [
        (
            "applicant@example.org",
            _path("calls:my_applications"),
            f"{mine} files of its own: draft, submitted, correction requested, eligible; "
            f"co-applicant of {decided.count()} decided file(s), with the decision's letter and "
            f"feedback"
            + (
                f"; its grant agreement at {_path('awards:my_agreement', agreement.pk)}"
                if agreement
                else ""
            )
            + f"; the public observatory at {_path('observatory:index')}",
        ),
        (
            "staff@example.org",
            _path("calls:staff_applications", call.slug),
            f"{files} applications to instruct; the audit log at {_path('calls:staff_audit')}, "
            f"the fund's {experts} experts at {_path('review:pool', call.fund.slug)}, the call's "
            f"conflicts of interest at {_path('review:conflicts', call.slug)}, its "
            f"{published.count()} published assignments at "
            f"{_path('review:assignment', call.slug)}, the reviews dashboard ({submitted} "
            f"submitted, the late ones first) at {_path('review:review_dashboard', call.slug)}, "
            f"the committee's sessions at {_path('committee:my_sessions')} and the letters "
            f"outbox ({outbox} to send) at {_path('committee:outbox', call.slug)}; "
            f"{pending_posts} offers and needs to moderate at {_path('matchmaking:moderation')}, "
            f"{reports} report(s) to examine at {_path('matchmaking:reports')}, the events at "
            f"{_path('events:staff_list')}; the call's {agreements} agreements at "
            f"{_path('awards:call_agreements', call.slug)}, {to_approve} payment request(s) "
            f"awaiting an approval at {_path('awards:payments_pending')}, the payments ledger at "
            f"{_path('awards:ledger')}, the open data of the awards at "
            f"{_path('opendata:dataset')}",
        ),
        (
            "admin@example.org",
            _path("roles:list"),
            "roles to grant and revoke; Django admin at "
            + _path("admin:index")
            + (
                f"; {awaiting} award(s) awaiting a second signature at "
                f"{_path('committee:decisions', session.pk)}"
                if session and awaiting
                else ""
            ),
        ),
        ("member@example.org", _path("community:my_profile"), member_pages),
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
            _path("committee:agenda", session.pk) if session else _path("committee:my_sessions"),
            f"the agenda of the open session ({items} files ranked by their calibrated scores, "
            f"{unvoted} still to vote on), the envelope simulator's result at "
            f"{_path('committee:simulator', session.pk) if session else '-'}; the first "
            f"session's decisions at {_path('committee:my_sessions')}",
        ),
    ]
