"""The budget step as a form: what a bad entry tells and keeps, conflicts, "Save and add lines",
older chapters, and a query count that does not grow with the lines. The amounts people type and
the engine's checks shown on the page are in ``test_apply.py``."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import BudgetLine, FinancingSource
from filiere.calls.services import applications as services
from filiere.calls.services.applications import ApplyError
from tests.calls.apply_factories import DraftFactory, budget_post, invite, make_complete
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTHING_SAVED = "Nothing was saved: please correct the errors below."


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def budget_url(application):
    return reverse("calls:application_step", args=[application.pk, "budget"])


def line_rows(html: str) -> int:
    return len(re.findall(r'name="lines-\d+-amount"', html))


# --- Bad input ----------------------------------------------------------------------------------


def test_an_error_in_the_financing_plan_saves_nothing_and_gives_back_every_typed_value(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(
        application,
        lines=[("crew", "Équipe de tournage", "1 400 000", "35 000,50")],
        sources=[
            ("Cet appel", "this_call", "150 000", False),
            ("Région", "public_aid", "12 000 abc", True),
        ],
        requested="150 000",
    )
    response = client.post(budget_url(application), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in html
    assert "“12 000 abc” is not an amount" in html
    assert 'aria-describedby="id_financing-1-amount_error"' in html
    for typed in ("Équipe de tournage", "1 400 000", "35 000,50", "Cet appel", "12 000 abc"):
        assert f'value="{typed}"' in html, typed
    assert 'name="requested_amount" value="150 000"' in html
    application.refresh_from_db()
    assert application.version == 1 and application.requested_amount is None
    assert not application.budget_lines.exists() and not application.financing.exists()


def test_half_filled_rows_are_told_on_their_fields(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(
        application,
        lines=[("crew", "Équipe", "", ""), ("cast", "Comédiens", "1 000", "2 000")],
        sources=[("", "own_funds", "5 000", False), ("Banque", "other", "", False)],
    )
    html = client.post(budget_url(application), data).content.decode()
    assert NOTHING_SAVED in html
    assert "Give the amount of this line." in html
    assert "The regional part cannot be more than the line itself." in html
    assert "Name the source of this amount." in html
    assert "Give the amount of this source." in html
    assert not application.budget_lines.exists()


def test_too_many_financing_rows_are_told_above_the_table(client):
    application = DraftFactory()
    client.force_login(application.lead)
    sources = [(f"Source {n}", "own_funds", "10", False) for n in range(51)]
    html = client.post(budget_url(application), budget_post(application, sources=sources))
    html = html.content.decode()
    assert NOTHING_SAVED in html
    assert "Please submit at most 50 forms." in html
    assert not application.financing.exists()


def test_a_stale_budget_is_refused_with_409_and_the_typed_values_stay_in_the_form(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(application, lines=[("crew", "Équipe du porteur", "90 000", "")])
    services.save_budget(  # another tab saves the budget meanwhile
        application=application,
        by=application.lead,
        requested_amount=None,
        lines=[{"chapter": "crew", "label": "Équipe du partenaire", "amount": Decimal("80000")}],
        financing=[],
        expected_version=1,
    )
    response = client.post(budget_url(application), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this part of the application meanwhile" in html
    assert 'value="Équipe du porteur"' in html and 'value="90 000"' in html
    assert "Équipe du partenaire" in html  # the saved version, beside
    assert list(application.budget_lines.values_list("label", flat=True)) == [
        "Équipe du partenaire"
    ]


def test_a_budget_save_beside_another_sections_edit_goes_through(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(application, lines=[("crew", "Équipe", "90 000", "")], requested="45 000")
    services.save_project(  # a partner edits the project meanwhile
        application=application,
        by=application.lead,
        title="Titre du partenaire",
        summary="",
        genre_id=None,
        stage_id=None,
        expected_version=1,
    )
    response = client.post(budget_url(application), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.version == 3
    assert application.requested_amount == Decimal("45000.00")
    assert application.title == "Titre du partenaire"


def test_a_read_only_member_gets_the_refusal_and_keeps_the_page(client):
    application = DraftFactory()
    reader = UserFactory()
    invite(application, reader, can_edit=False)
    client.force_login(reader)
    response = client.post(
        budget_url(application), budget_post(application, lines=[("crew", "X", "10", "")])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "You may read this application but not change it." in html
    assert not application.budget_lines.exists()


# --- Rows offered -------------------------------------------------------------------------------


def test_a_new_draft_offers_the_templates_chapters_and_a_this_call_source(client):
    application = DraftFactory()
    client.force_login(application.lead)
    html = client.get(budget_url(application)).content.decode()
    assert line_rows(html) == 13 + 3  # the audiovisual chapters, then three blank lines
    assert 'name="financing-0-name" value="This call"' in html
    assert '<option value="this_call" selected>' in html


def test_save_and_add_lines_saves_then_offers_three_more_blank_lines(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(
        application,
        lines=[("crew", "Équipe", "100 000", ""), ("rights", "", "", "")],
        add_lines="1",
    )
    response = client.post(budget_url(application), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved." not in html  # no redirect: the same page with room for more lines
    assert line_rows(html) == 1 + 3 + 3
    assert 'value="Équipe"' in html and 'value="100000"' in html
    assert list(application.budget_lines.values_list("label", "amount")) == [
        ("Équipe", Decimal("100000.00"))
    ]


def test_an_unnamed_line_is_named_by_its_chapter(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(application, lines=[("cast", "", "12 000", "")])
    assert client.post(budget_url(application), data).status_code == 302
    assert application.budget_lines.get().label == "3. Cast"


def test_a_chapter_the_template_no_longer_has_stays_choosable(client):
    application = DraftFactory()  # no genre: the audiovisual chapters
    BudgetLine.objects.create(
        application=application, chapter="staff_art", label="Graphismes", amount=Decimal("5000")
    )
    client.force_login(application.lead)
    html = client.get(budget_url(application)).content.decode()
    assert '<option value="staff_art" selected>' in html
    data = budget_post(application, lines=[("staff_art", "Graphismes 2", "6 000", "")])
    assert client.post(budget_url(application), data).status_code == 302
    assert application.budget_lines.get().chapter == "staff_art"


def test_budget_page_query_count_does_not_grow_with_lines_and_sources(client):
    application = make_complete(DraftFactory())
    client.force_login(application.lead)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(budget_url(application)).status_code == 200
        return len(queries)

    few = count()
    for n in range(5):
        BudgetLine.objects.create(
            application=application, chapter="cast", label=f"Rôle {n}", amount=Decimal(1000)
        )
        FinancingSource.objects.create(
            application=application, name=f"Mécène {n}", kind="private", amount=Decimal(1000)
        )
    assert count() == few


# --- The service's one locked edit ----------------------------------------------------------------


def test_saving_what_is_already_saved_keeps_the_version():
    application = make_complete(DraftFactory())
    lines, financing = services.budget_rows(application, Decimal)
    saved = services.save_budget(
        application=application,
        by=application.lead,
        requested_amount=application.requested_amount,
        lines=lines,
        financing=financing,
        expected_version=1,
    )
    assert saved.version == 1


def test_rights_are_checked_before_the_input():
    application = DraftFactory()
    reader = UserFactory()
    invite(application, reader, can_edit=False)
    with pytest.raises(ApplyError) as refused:
        services.save_project(
            application=application,
            by=reader,
            title="  ",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.not_an_editor"
    with pytest.raises(ApplyError) as refused:
        services.save_project(
            application=application,
            by=application.lead,
            title="  ",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.title_missing"
    application.refresh_from_db()
    assert application.version == 1
