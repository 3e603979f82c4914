"""The committee's pages at the demo call's size and at 10× it: queries per page and server CPU.

Each scale runs in a fresh spawned process on its own temporary SQLite database, seeded as
``bench committee_simulator`` does (the demo call scaled to about 120 × N applications, all
before the committee, N × 20 experts, 3 submitted reviews per application, one session with
every reviewed application on its agenda: the stress case). Added here: a session holding a
realistic agenda (one application in twelve: about 10 at 1×, 100 at 10×, as the demo's session
times the scale), six members on both sessions (one chairs; one of them is also an expert of the
fund's pool, so that their conflicts are read on each page: the costlier reader), every member's
vote on each realistic item and three on each stress item, and one finished simulation on the
realistic session.

Measured through Django's test client with DEBUG off (``bench review_scale``'s ``_page``: a
warm-up request, then the median of the requests' server CPU and their SQL queries): as the
member who is an expert, the agenda (realistic; stress: its first page), an item, "My
sessions", the simulator's latest result, and the API's agenda (realistic); as the staff of the
call, the realistic agenda; as the expert with the load closest to 18, their inbox
(``/review/me/assignments/``). The queries of each page must be equal at both scales.

``python -m bench committee_scale`` (1× and 10×) or ``--quick`` (1× and 2×).
"""

from __future__ import annotations

import tempfile
import time

from bench.memory import measure_in_child

APPLICATIONS_PER_SCALE = 120
#: One reviewed application in this many is on the realistic session's agenda.
REALISTIC_SHARE = 12
MEMBERS = 6
STRESS_VOTES = 3


def _members(sessions: list, expert_user) -> list:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from filiere.accounts.models import Role, User
    from filiere.accounts.services import grant_role
    from filiere.committee.models import SESSION_SCOPE, SessionMember

    users = [expert_user] + [
        User.objects.create(email=f"bench-member-{i}@example.org", first_name=f"Member {i}")
        for i in range(MEMBERS - 1)
    ]
    for user in users:
        TOTP.activate(user, generate_totp_secret())
        for session in sessions:
            grant = grant_role(
                user=user,
                role=Role.COMMITTEE,
                scope_type=SESSION_SCOPE,
                scope_id=session.pk,
                by=None,
            )
            SessionMember.objects.create(
                session=session, user=user, grant=grant, chairs=user is users[-1]
            )
    return users


def _votes(session, voters: list) -> None:
    from filiere.committee.models import AgendaItem, Vote

    choices = ("fund", "reject", "defer", "abstain")
    Vote.objects.bulk_create(
        Vote(item=item, voter=voter, choice=choices[(item.pk + index) % len(choices)])
        for item in AgendaItem.objects.filter(session=session)
        for index, voter in enumerate(voters)
    )


def _case(n_applications: int, scale: int, repeat: int) -> dict:
    from bench.bench_review_scale import REVIEWABLE_PER_UNIT, _setup

    with tempfile.TemporaryDirectory() as var_dir:
        _setup(var_dir)
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.test.utils import setup_test_environment

        from bench.bench_committee_simulator import _scenario, _seed
        from bench.bench_review_scale import _page
        from filiere.accounts.models import Role, User
        from filiere.accounts.services import grant_role
        from filiere.committee.models import AgendaItem, Session
        from filiere.review.models import Assignment

        setup_test_environment()
        started = time.perf_counter()
        call, stress, staff, applications = _seed(n_applications)
        realistic_apps = applications[::REALISTIC_SHARE]
        realistic = Session.objects.create(
            call=call,
            title="Bench realistic",
            meets_at=stress.meets_at,
            created_by=staff,
            status="open",
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(session=realistic, application=a, position=i)
            for i, a in enumerate(realistic_apps)
        )
        loads = (
            Assignment.objects.filter(application__call=call)
            .values("expert__user_id")
            .annotate(n=Count("id"))
            .order_by("expert__user_id")
        )
        inbox_user_id, load = min(
            ((r["expert__user_id"], r["n"]) for r in loads), key=lambda r: abs(r[1] - 18)
        )
        inbox_user = User.objects.get(pk=inbox_user_id)
        # The seed writes the pool's rows only; the inbox's door also wants the expert role.
        grant_role(user=inbox_user, role=Role.EXPERT, scope=call.fund, by=None)
        # The member who is also an expert: another expert of the pool than the inbox's.
        member_expert = User.objects.get(
            pk=next(r["expert__user_id"] for r in loads if r["expert__user_id"] != inbox_user_id)
        )
        members = _members([realistic, stress], member_expert)
        _votes(realistic, members)
        _votes(stress, members[:STRESS_VOTES])
        envelope = float(call.envelope) * len(realistic_apps) / REVIEWABLE_PER_UNIT
        simulation = _scenario(realistic, staff, realistic_apps, envelope, "merit")
        seed_seconds = time.perf_counter() - started

        TOTP.activate(staff, generate_totp_secret())
        TOTP.activate(inbox_user, generate_totp_secret())
        member, staff_client, expert = Client(), Client(), Client()
        member.force_login(member_expert)
        staff_client.force_login(staff)
        expert.force_login(inbox_user)
        item = (
            AgendaItem.objects.filter(session=realistic)
            .exclude(application__assignments__expert__user=member_expert)
            .order_by("position")
            .first()
        )
        assert item is not None
        base = "/committee/sessions"
        pages = {
            "agenda": _page(member, f"{base}/{realistic.pk}/agenda/", repeat),
            "agenda_staff": _page(staff_client, f"{base}/{realistic.pk}/agenda/", repeat),
            "agenda_stress": _page(member, f"{base}/{stress.pk}/agenda/", repeat),
            "item": _page(member, f"{base}/{realistic.pk}/items/{item.pk}/", repeat),
            "my_sessions": _page(member, "/committee/", repeat),
            "simulator_result": _page(member, f"{base}/{realistic.pk}/simulator/", repeat),
            "expert_inbox": _page(expert, "/review/me/assignments/", repeat),
            "api_agenda": _page(member, f"/api/v1{base}/{realistic.pk}/agenda", repeat),
        }
        pages["expert_inbox"]["assignments"] = load
        connection.close()
    return {
        "applications": len(applications),
        "experts": len(loads),
        "realistic_agenda": len(realistic_apps),
        "stress_agenda": len(applications),
        "members": MEMBERS,
        "simulation_funded": simulation["funded"],
        "seed_s": round(seed_seconds, 1),
        "pages": pages,
    }


def _ratio(big: float, small: float) -> float | None:
    return round(big / small, 2) if small else None


def run(quick: bool = False) -> dict:
    factor = 2 if quick else 10
    repeat = 5 if quick else 15
    cases = {}
    for label, scale in (("1x", 1), (f"{factor}x", factor)):
        outcome = measure_in_child(_case, APPLICATIONS_PER_SCALE * scale, scale, repeat)
        cases[label] = {**outcome["result"], "peak_rss_mb": round(outcome["peak_rss_mb"])}
    small, big = cases["1x"], cases[f"{factor}x"]
    ratios: dict = {}
    for name in small["pages"]:
        ratios[f"{name}_queries"] = _ratio(
            big["pages"][name]["queries"], small["pages"][name]["queries"]
        )
        ratios[f"{name}_cpu_ms"] = _ratio(
            big["pages"][name]["cpu_ms_median"], small["pages"][name]["cpu_ms_median"]
        )
    return {"cases": cases, "ratios": ratios}
