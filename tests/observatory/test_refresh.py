"""The refresh: what the figures count, its progress, its refusals, and its constant cost."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.committee.models import Decision
from filiere.errors import NotAllowed, ServiceError
from filiere.observatory import services, statistics
from filiere.observatory.models import Snapshot
from filiere.observatory.services import execute_refresh, refresh_now, request_refresh
from tests.accounts.factories import user_with_role
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory

from .factories import application, applications, closed_call

pytestmark = pytest.mark.django_db


def _row(table, key):
    index = [row["key"] for row in table["rows"]].index(key)
    return [cell["v"] for cell in table["cells"][index]]


def _history():
    """Two years: 2010 with 12 applications (6 awarded), 2011 with 8 (5 awarded)."""
    first = closed_call(2010)
    applications(first, 12, awarded=6)
    second = closed_call(2011)
    applications(second, 8, awarded=5, amount="30000")
    return first, second


def test_the_figures_count_submitted_applications_and_confirmed_awards_of_closed_calls():
    first, _second = _history()
    # Not counted: a draft, an open call, an award proposed but not confirmed.
    ApplicationFactory(call=first, state="draft")
    open_call = CallFactory(closes_at=timezone.now() + dt.timedelta(days=5))
    applications(open_call, 6)
    proposed = application(first, awarded=None)
    Decision.objects.create(
        application=proposed, outcome="award", amount=99999, proposed_by=proposed.lead
    )
    snapshot = refresh_now()
    years = snapshot.figures["tables"]["years"]
    assert snapshot.figures["years"] == [2010, 2011]
    # applications, awarded, success rate, requested, awarded amount
    assert _row(years, "2010") == [13, 6, 46.2, 650000, 240000]
    assert _row(years, "2011") == [8, 5, 62.5, 400000, 150000]
    assert [cell["v"] for cell in years["total"]] == [21, 11, 52.4, 1050000, 390000]
    assert [row["key"] for row in snapshot.figures["tables"]["calls"]["rows"]] == [
        str(first.pk),
        str(_second.pk),
    ]


def test_first_time_applicants_are_those_with_no_application_to_an_earlier_call():
    first, second = _history()
    for _ in range(6):
        returning = OrganisationFactory()
        application(first, organisation=returning)
        application(second, organisation=returning, awarded=True)
    figures = refresh_now().figures["breakdowns"]["first_time"]
    assert _row(figures["2010"], "first")[:2] == [18, 6]
    assert _row(figures["2010"], "returning")[:2] == [0, 0]  # nobody: zero is shown
    assert _row(figures["2011"], "first")[:2] == [8, 5]
    assert _row(figures["2011"], "returning")[:2] == [6, 6]
    assert _row(figures["all"], "first")[:2] == [26, 11]


def test_breakdowns_by_genre_territory_and_kind_add_up_to_the_year():
    _history()
    figures = refresh_now().figures["breakdowns"]
    for dimension in ("genre", "territory", "kind"):
        table = figures[dimension]["all"]
        assert [cell["v"] for cell in table["total"]][:2] == [20, 11]
    assert _row(figures["genre"]["all"], "serious-game")[:2] == [20, 11]
    assert _row(figures["kind"]["all"], "company")[:2] == [20, 11]


def test_counts_below_five_are_never_stored_and_their_complement_is_hidden():
    first = closed_call(2010)
    applications(first, 10, awarded=3)
    applications(first, 10, awarded=6, genre="web-documentary")
    figures = refresh_now().figures
    genre = figures["breakdowns"]["genre"]["all"]
    serious, webdoc = _row(genre, "serious-game"), _row(genre, "web-documentary")
    assert serious[:2] == [10, None]  # 3 awards: small
    assert webdoc[:2] == [10, None]  # 6 awards, hidden: 9 - 6 would give the 3 away
    assert genre["cells"][1][1] == {"v": None, "s": "hidden"}
    assert [cell["v"] for cell in genre["total"]][:2] == [20, 9]
    # Neither the rate nor the amount gives the small count away.
    assert serious[2] is None and serious[4] is None


def test_the_community_counts_organisations_by_territory_and_kind():
    for _ in range(6):
        OrganisationFactory()
    for _ in range(2):
        OrganisationFactory(kind="research_lab")
    for _ in range(3):
        OrganisationFactory(kind="school")
    table = refresh_now().figures["tables"]["organisations_by_territory"]
    kinds = [column["key"] for column in table["columns"]]
    territory = table["rows"][0]["key"]
    row = dict(zip(kinds, _row(table, territory), strict=True))
    assert row["company"] == 6
    assert row["research_lab"] is None  # 2 labs: "< 5"
    assert row["school"] is None  # 3 schools: "< 5" (and no lone hidden cell in the row)
    assert row["association"] == 0
    assert row["total"] == 11


def test_progress_is_written_at_each_step_and_the_snapshot_says_when():
    snapshot = request_refresh(by=None)
    assert (snapshot.status, snapshot.progress) == ("pending", 0)
    execute_refresh(snapshot_id=snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.status == "done"
    assert (snapshot.progress, snapshot.step) == (100, "done")
    assert snapshot.finished_at is not None and snapshot.seconds is not None
    assert set(services.PROGRESS) == {
        "community",
        "calls",
        *statistics.DIMENSIONS,
        "spend",
        "publishing",
    }


def test_steps_are_visible_while_the_refresh_runs(monkeypatch):
    snapshot = request_refresh(by=None)
    observed = []
    real = statistics.calls

    def spy(now, on_step=None):
        def step(code):
            on_step(code)
            observed.append(Snapshot.objects.values_list("step", "progress").get(pk=snapshot.pk))

        return real(now, on_step=step)

    monkeypatch.setattr(statistics, "calls", spy)
    execute_refresh(snapshot_id=snapshot.pk)
    assert observed[0] == ("calls", 20)
    assert observed[-1] == ("first_time", 80)


def test_a_second_refresh_waits_for_the_first_unless_it_was_lost():
    staff = user_with_role(Role.STAFF)
    first = request_refresh(by=staff)
    with pytest.raises(ServiceError) as refused:
        request_refresh(by=staff)
    assert refused.value.code == "observatory.already_running"
    Snapshot.objects.filter(pk=first.pk).update(requested_at=timezone.now() - dt.timedelta(hours=2))
    second = request_refresh(by=staff)
    first.refresh_from_db()
    assert first.status == "failed" and second.status == "pending"
    assert AuditEntry.objects.filter(action="observatory.refresh.requested").count() == 2


def test_only_staff_refresh():
    with pytest.raises(NotAllowed):
        request_refresh(by=user_with_role(Role.APPLICANT))
    assert not Snapshot.objects.exists()


def test_a_failed_refresh_keeps_the_figures_published_before(monkeypatch):
    _history()
    before = refresh_now()

    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr(statistics, "community", broken)
    failed = refresh_now()
    assert failed.status == "failed" and failed.figures is None
    from filiere.observatory.selectors import published

    assert published().snapshot_id == before.pk


def test_the_task_runs_the_refresh_once_the_request_commits(django_capture_on_commit_callbacks):
    _history()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = request_refresh(by=user_with_role(Role.STAFF))
    snapshot.refresh_from_db()
    assert snapshot.status == "done"  # the immediate backend ran the task
    assert snapshot.figures["tables"]["years"]["total"][0]["v"] == 20


def test_the_command_refreshes_and_says_how_long_it_took():
    _history()
    out = StringIO()
    call_command("refresh_observatory", stdout=out)
    assert "published in" in out.getvalue()
    assert Snapshot.objects.get().status == "done"


def test_the_refresh_costs_the_same_number_of_queries_whatever_the_data():
    _history()
    with CaptureQueriesContext(connection) as small:
        refresh_now()
    for year in (2012, 2013, 2014):
        call = closed_call(year)
        applications(call, 7, awarded=2, genre="web-documentary")
        OrganisationFactory(kind="school")
    with CaptureQueriesContext(connection) as large:
        refresh_now()
    assert len(large.captured_queries) == len(small.captured_queries)
