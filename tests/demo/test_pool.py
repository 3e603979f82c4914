"""The demo's pool of experts for the 2009 call: the demo expert lands on their pool and
profile, the staff find every status in the pool and every origin of conflict on the call's
conflicts page, and a second run gives the same picture."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from filiere.accounts.models import Role, User
from filiere.calls.models import Call
from filiere.demo.accounts import DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.landing import landing_pages
from filiere.demo.pool_texts import (
    DECLARED,
    DEMO_EXPERT,
    EXCLUSION,
    EXPERTS,
    INVITED_EMAIL,
    LEFT_EXPERT,
    LIFT_REASON,
    STAFF_CONFLICT,
)
from filiere.review import selectors
from filiere.review.models import (
    Availability,
    ConflictLift,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertiseProfile,
    ExpertStatus,
)
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def pool_picture(call: Call):
    experts = sorted(
        Expert.objects.filter(fund=call.fund).values_list("email", "status", "user__email")
    )
    declarations = sorted(
        Declaration.objects.filter(withdrawn_at__isnull=True).values_list(
            "source", "kind", "reason", "expert_user__email", "application__reference"
        ),
        key=str,
    )
    rows = [(r.reference, r.expert_name, r.active) for r in selectors.conflicts_of_call(call)]
    return experts, declarations, rows


def test_the_demo_expert_lands_on_their_pool_and_profile_and_a_rerun_keeps_it(client):
    output = demo()
    call = Call.objects.get(slug=MAIN)
    first = pool_picture(call)
    output = demo()
    assert pool_picture(call) == first

    expert = User.objects.get(email=DEMO_EXPERT_EMAIL)
    assert expert.has_role(Role.EXPERT, scope_type="fund", scope_id=call.fund_id)
    # They land on their assignments (tests/demo/test_assignment.py), which link to /review/me/.
    landing = {email: page for email, page, _what in landing_pages(call)}[DEMO_EXPERT_EMAIL]
    assert landing == reverse("review:my_assignments")
    assert f"{DEMO_EXPERT_EMAIL:<23} → {landing}" in output
    path = reverse("review:my_expertise")
    assert f"profile at {path}," in output
    client.force_login(expert)
    assert f'href="{path}"' in client.get(landing).content.decode()
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    # The pool, with the call and what the expert said for it; then the expertise profile.
    assert escape(call.fund.name) in page
    assert escape(call.title) in page
    assert reverse("review:my_availability", args=[call.slug]) in page
    assert Availability.objects.get(call=call, expert__user=expert).max_load == 12
    for keyword in DEMO_EXPERT.keywords:
        assert escape(keyword) in page
    for title, _year, _description in DEMO_EXPERT.works:
        assert escape(title) in page

    # Loads of 8 to 15, one expert not available; languages of the cluster and its neighbours.
    said = Availability.objects.filter(call=call, expert__status=ExpertStatus.ACTIVE)
    loads = [a.max_load for a in said if a.available]
    assert len(loads) == len(EXPERTS) and min(loads) >= 8 and max(loads) <= 15
    assert said.filter(available=False).count() == 1
    profiles = ExpertiseProfile.objects.filter(user__expert_memberships__fund=call.fund)
    assert {"fr", "en", "nl"} <= {code for p in profiles for code in p.languages}


def test_the_staff_see_every_status_of_the_pool_and_every_origin_of_conflict(client):
    output = demo()
    call = Call.objects.get(slug=MAIN)
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    client.force_login(staff)

    pool_path = reverse("review:pool", args=[call.fund.slug])
    assert pool_path in output
    pool = client.get(pool_path).content.decode()
    assert INVITED_EMAIL in pool
    for text in (*EXPERTS, LEFT_EXPERT):
        assert escape(f"{text.first_name} {text.last_name}") in pool
    statuses = set(Expert.objects.filter(fund=call.fund).values_list("status", flat=True))
    assert statuses == {ExpertStatus.ACTIVE, ExpertStatus.INVITED, ExpertStatus.LEFT}

    conflicts_path = reverse("review:conflicts", args=[call.slug])
    assert conflicts_path in output
    response = client.get(conflicts_path)
    assert response.status_code == 200
    page = response.content.decode()
    sources = set(Declaration.objects.values_list("source", flat=True))
    assert sources == {
        DeclarationSource.EXPERT,
        DeclarationSource.APPLICANT,
        DeclarationSource.STAFF,
    }
    for reason in (
        *(reason for _key, _kind, reason in DECLARED),
        EXCLUSION[2],
        STAFF_CONFLICT[2],
        LIFT_REASON,
    ):
        assert escape(reason) in page, reason
    rows = selectors.conflicts_of_call(call)
    assert ConflictLift.objects.filter(application__call=call).count() == 1
    assert [r for r in rows if r.lift is not None and not r.active]
    # The engine's own findings (nobody declared anything about these experts): the lab's and
    # the Belgian partner's experts, and the one who left an applicant organisation.
    assert {"Nathalie Carpentier", "Luc Dethier"} <= {r.expert_name for r in rows}
    for row in rows:
        assert row.reference in page
        assert escape(row.expert_name) in page
