"""Applying: starting a draft, editing it (autosave, conflicts), the team, the budget, the extra
questions, read-only after the deadline, and the dashboard."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import Role, RoleGrant
from filiere.calls import notifications
from filiere.calls.models import Answer, Application, Question, TeamMember
from filiere.calls.services import applications as services
from filiere.calls.services.applications import ApplyError, StaleEdit
from tests.calls.apply_factories import (
    DraftFactory,
    OpenCallFactory,
    applicant_with_organisation,
    budget_post,
    invite,
    make_complete,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    # Pages are read in English (/en/…; French is the default); e-mails follow each
    # recipient's preferred language whatever the active one.
    with translation.override("en"):
        yield


def step_url(application, step):
    return reverse("calls:application_step", args=[application.pk, step])


def autosave_url(application):
    return reverse("calls:application_autosave", args=[application.pk])


# --- Creating -----------------------------------------------------------------------------------


def test_create_allocates_the_next_reference_of_the_call(client):
    user, organisation = applicant_with_organisation()
    call = OpenCallFactory(reference_prefix="EI2009")
    client.force_login(user)
    url = reverse("calls:application_create", args=[call.slug])
    for title in ("Premier", "Second"):
        response = client.post(url, {"organisation": organisation.pk, "title": title})
        assert response.status_code == 302
    assert list(Application.objects.order_by("pk").values_list("reference", flat=True)) == [
        "EI2009-0001",
        "EI2009-0002",
    ]
    first = Application.objects.get(reference="EI2009-0001")
    assert response["Location"] == step_url(Application.objects.get(title="Second"), "project")
    assert (first.lead, first.organisation, first.state) == (user, organisation, "draft")


def test_reference_taken_meanwhile_is_retried_with_the_next_number():
    user, organisation = applicant_with_organisation()
    call = OpenCallFactory(reference_prefix="EI2009")
    # A concurrent request took 0001 after we read the last number: the unique constraint
    # refuses ours and the service retries.
    DraftFactory(call=call, reference="EI2009-0001")
    original = services._next_reference
    calls = []

    def stale_then_fresh(c):
        calls.append(1)
        return "EI2009-0001" if len(calls) == 1 else original(c)

    services._next_reference = stale_then_fresh
    try:
        application = services.create_application(
            call=call, organisation=organisation, by=user, title="Projet"
        )
    finally:
        services._next_reference = original
    assert application.reference == "EI2009-0002"
    assert len(calls) == 2


def test_applicant_role_scoped_to_an_organisation_lets_apply_for_it():
    user = UserFactory()
    organisation = OrganisationFactory()
    RoleGrant.objects.create(
        user=user, role=Role.APPLICANT, scope_type="organisation", scope_id=organisation.pk
    )
    application = services.create_application(
        call=OpenCallFactory(), organisation=organisation, by=user, title="Projet"
    )
    assert application.organisation == organisation


def test_applying_for_an_organisation_one_does_not_belong_to_is_refused(client):
    user, _mine = applicant_with_organisation()
    other = OrganisationFactory()
    call = OpenCallFactory()
    with pytest.raises(ApplyError) as refused:
        services.create_application(call=call, organisation=other, by=user, title="X")
    assert refused.value.code == "apply.not_your_organisation"
    client.force_login(user)
    response = client.post(
        reverse("calls:application_create", args=[call.slug]),
        {"organisation": other.pk, "title": "X"},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_user_without_organisation_is_told_how_to_apply(client):
    client.force_login(UserFactory())
    response = client.get(reverse("calls:application_create", args=[OpenCallFactory().slug]))
    assert response.status_code == 200
    # It links to the page where a newcomer registers or joins their organisation.
    assert reverse("community:organisation_new") in response.content.decode()


def test_closed_or_unpublished_calls_cannot_be_applied_to(client):
    user, _organisation = applicant_with_organisation()
    client.force_login(user)
    closed = OpenCallFactory(closes_at=timezone.now() - timedelta(seconds=1))
    unpublished = OpenCallFactory(published=False)
    for call in (closed, unpublished):
        response = client.get(reverse("calls:application_create", args=[call.slug]))
        assert response.status_code == 404


# --- Someone else's application -----------------------------------------------------------------


def test_guessing_the_id_of_someone_elses_application_gives_404_everywhere(client):
    application = make_complete(DraftFactory())
    client.force_login(UserFactory())
    pages = [
        reverse("calls:application_detail", args=[application.pk]),
        *(step_url(application, step) for step in ("project", "budget", "review")),
        reverse("calls:application_receipt", args=[application.pk]),
        reverse("calls:application_withdraw", args=[application.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    posts = [
        step_url(application, "project"),
        autosave_url(application),
        reverse("calls:application_submit", args=[application.pk]),
        reverse("calls:team_invite", args=[application.pk]),
        reverse("calls:document_upload", args=[application.pk]),
    ]
    for url in posts:
        response = client.post(url, {"section": "project", "title": "Pirate", "version": 1})
        assert response.status_code == 404, url
    application.refresh_from_db()
    assert application.title == "Les mines en réalité virtuelle"


# --- Drafts, autosave and conflicts -------------------------------------------------------------


def _project_post(application, **changes):
    data = {
        "section": "project",
        "title": application.title,
        "summary": application.summary,
        "genre": application.genre_id or "",
        "stage": application.stage_id or "",
        "version": application.version,
        "base": services.fingerprint(services.project_values(application)),
    }
    data.update(changes)
    return data


def test_autosave_saves_and_returns_the_new_version(client):
    application = DraftFactory()
    client.force_login(application.lead)
    response = client.post(
        autosave_url(application),
        _project_post(application, summary="Un jeu sérieux"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.summary == "Un jeu sérieux"
    assert application.version == 2
    html = response.content.decode()
    assert 'id="id_version" hx-swap-oob="true"' in html
    assert 'value="2"' in html


def test_step_page_autosaves_with_htmx_as_one_types(client):
    application = DraftFactory()
    client.force_login(application.lead)
    html = client.get(step_url(application, "project")).content.decode()
    assert f'hx-post="{autosave_url(application)}"' in html
    assert 'hx-trigger="keyup changed delay:2s' in html
    assert "<script>" not in html and "style=" not in html  # strict CSP


def test_stale_autosave_is_refused_and_keeps_both_texts(client):
    application = DraftFactory(summary="Version de départ")
    partner = UserFactory()
    invite(application, partner)
    # Both open the page at version 1.
    lead_form = _project_post(application)
    partner_form = _project_post(application)
    client.force_login(partner)
    client.post(autosave_url(application), {**partner_form, "summary": "Texte du partenaire"})
    client.force_login(application.lead)
    response = client.post(autosave_url(application), {**lead_form, "summary": "Texte du porteur"})
    html = response.content.decode()
    application.refresh_from_db()
    assert application.summary == "Texte du partenaire"  # nothing overwritten
    assert application.version == 2
    assert "Someone else saved this part of the application meanwhile" in html
    assert "Texte du porteur" in html  # the rejected text, to copy
    assert "Texte du partenaire" in html  # the saved version


def test_stale_save_of_the_step_form_answers_409_with_the_rejected_text(client):
    application = DraftFactory(summary="A")
    form = _project_post(application)
    services.save_project(
        application=application,
        by=application.lead,
        title=application.title,
        summary="B (another tab)",
        genre_id=None,
        stage_id=None,
        expected_version=1,
    )
    client.force_login(application.lead)
    response = client.post(step_url(application, "project"), {**form, "summary": "C"})
    assert response.status_code == 409
    assert "C</textarea>" in response.content.decode()
    application.refresh_from_db()
    assert application.summary == "B (another tab)"


def test_edit_of_another_section_meanwhile_is_not_a_conflict():
    application = DraftFactory()
    version, base = application.version, services.fingerprint(services.project_values(application))
    services.save_budget(
        application=application,
        by=application.lead,
        requested_amount=Decimal("1000"),
        lines=[],
        financing=[],
        expected_version=version,
    )
    saved = services.save_project(
        application=application,
        by=application.lead,
        title="Nouveau titre",
        summary="",
        genre_id=None,
        stage_id=None,
        expected_version=version,
        base_fingerprint=base,
    )
    assert saved.title == "Nouveau titre"
    assert saved.version == 3


def test_stale_edit_exception_carries_both_versions():
    application = DraftFactory(summary="A")
    services.save_project(
        application=application,
        by=application.lead,
        title=application.title,
        summary="B",
        genre_id=None,
        stage_id=None,
        expected_version=1,
    )
    with pytest.raises(StaleEdit) as stale:
        services.save_project(
            application=application,
            by=application.lead,
            title=application.title,
            summary="C",
            genre_id=None,
            stage_id=None,
            expected_version=1,
            base_fingerprint=services.fingerprint({"title": application.title, "summary": "A"}),
        )
    assert stale.value.current["summary"] == "B"
    assert stale.value.submitted["summary"] == "C"
    assert stale.value.current_version == 2


# --- Team ---------------------------------------------------------------------------------------


def test_invitation_email_then_acceptance_links_the_user(
    client, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    partner = UserFactory(email="partner@studio.be", preferred_language="nl")
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:team_invite", args=[application.pk]),
            {"email": "partner@studio.be", "role": "belgian_coproducer", "can_edit": "on"},
        )
    assert response.status_code == 302
    member = TeamMember.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["partner@studio.be"]
    # The link opens in the invitee's language (Dutch here).
    with translation.override("nl"):
        link = reverse("calls:invitation_accept", args=[member.invitation_token])
    assert link.startswith("/nl/")
    assert notifications.site_url() + link in mail.outbox[0].body
    client.force_login(partner)
    response = client.post(link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user == partner and member.accepted_at is not None
    assert client.get(step_url(application, "project")).status_code == 200


def test_invitation_email_leaves_only_once_the_invitation_is_committed(
    django_capture_on_commit_callbacks,
):
    application = DraftFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.invite_team_member(
                application=application, by=application.lead, email="gone@x.org", role="author"
            )
            raise RuntimeError("the page failed after inviting")
        services.invite_team_member(
            application=application, by=application.lead, email="kept@x.org", role="author"
        )
        assert mail.outbox == []  # not before the commit
    assert [message.to for message in mail.outbox] == [["kept@x.org"]]
    assert TeamMember.objects.get().email == "kept@x.org"


def test_invitation_cannot_be_accepted_by_another_address():
    application = DraftFactory()
    member = TeamMember.objects.create(application=application, email="a@x.org", role="author")
    with pytest.raises(ApplyError) as refused:
        services.accept_invitation(token=member.invitation_token, user=UserFactory())
    assert refused.value.code == "apply.invitation_other_address"


def test_invited_partner_can_edit_the_draft_but_only_the_lead_invites():
    application = DraftFactory()
    partner = UserFactory()
    invite(application, partner)
    saved = services.save_project(
        application=application,
        by=partner,
        title="Titre du partenaire",
        summary="",
        genre_id=None,
        stage_id=None,
        expected_version=application.version,
    )
    assert saved.title == "Titre du partenaire"
    with pytest.raises(ApplyError) as refused:
        services.invite_team_member(
            application=application, by=partner, email="x@y.org", role="author"
        )
    assert refused.value.code == "apply.only_lead_invites"


def test_read_only_member_and_pending_invitee_cannot_edit(client):
    application = DraftFactory()
    reader, pending = UserFactory(), UserFactory()
    invite(application, reader, can_edit=False)
    invite(application, pending, accepted=False)
    with pytest.raises(ApplyError) as refused:
        services.save_project(
            application=application,
            by=reader,
            title="X",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.not_an_editor"
    client.force_login(pending)
    assert client.get(step_url(application, "project")).status_code == 404


# --- Budget -------------------------------------------------------------------------------------


def test_budget_accepts_amounts_as_people_type_them(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(
        application,
        [("crew", "Équipe", "1 400 000", "35 000,50"), ("rights", "", "", "")],
        [
            ("Cet appel", "this_call", "150 000", False),
            ("Fonds propres", "own_funds", "1.250.000", True),
        ],
        "150 000",
    )
    response = client.post(step_url(application, "budget"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    line = application.budget_lines.get()
    assert (line.amount, line.regional_amount) == (Decimal("1400000.00"), Decimal("35000.50"))
    assert application.requested_amount == Decimal("150000.00")
    assert sorted(application.financing.values_list("amount", flat=True)) == [
        Decimal("150000.00"),
        Decimal("1250000.00"),
    ]


def test_budget_amount_errors_are_translated_and_keep_what_was_typed(client):
    application = DraftFactory()
    client.force_login(application.lead)
    data = budget_post(application, [("crew", "Équipe", "14 00", "")], [], "abc")
    response = client.post(step_url(application, "budget"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "“14 00” is not an amount, e.g. 150 000 or 35 000,50." in html
    assert "“abc” is not an amount" in html
    assert 'value="14 00"' in html
    assert 'aria-describedby="id_lines-0-amount_error"' in html
    assert not application.budget_lines.exists()


def test_budget_page_shows_unbalanced_plan_and_request_above_ceiling(client):
    application = make_complete(DraftFactory(), requested=Decimal("90000"))
    application.financing.filter(kind="own_funds").update(amount=Decimal("10000"))
    client.force_login(application.lead)
    html = client.get(step_url(application, "budget")).content.decode()
    assert "does not balance the budget" in html
    assert "is above the ceiling" in html


def test_default_budget_template_is_the_cnc_chapters_and_games_for_games(client):
    application = DraftFactory()
    client.force_login(application.lead)
    html = client.get(step_url(application, "budget")).content.decode()
    assert "1. Artistic rights" in html and "9. Insurance and miscellaneous" in html
    from filiere.calls.models import Genre

    application.genre = Genre.objects.get(code="serious-game")
    application.save()
    html = client.get(step_url(application, "budget")).content.decode()
    assert "Staff: programming" in html


# --- Extra questions ----------------------------------------------------------------------------


def _questions(call):
    make = Question.objects.create
    make(call=call, code="vr", kind="yes_no", label_fr="Réalité virtuelle ?", position=1)
    make(
        call=call,
        code="headset",
        kind="text",
        label_fr="Quel casque ?",
        max_length=20,
        required=True,
        condition={"question": "vr", "equals": "yes"},
        position=2,
    )
    group = make(call=call, code="festivals", kind="group", label_fr="Festivals", position=3)
    make(call=call, group=group, code="name", kind="text", label_fr="Nom", position=1)
    make(call=call, group=group, code="year", kind="number", label_fr="Année", position=2)


def test_questions_are_built_from_the_call_with_conditions_and_groups(client):
    application = DraftFactory()
    _questions(application.call)
    client.force_login(application.lead)
    html = client.get(step_url(application, "questions")).content.decode()
    assert 'data-show-if="vr"' in html
    assert 'name="festivals-0-name"' in html
    data = {
        "version": application.version,
        "vr": "no",
        "headset": "Quest 3",  # hidden by its condition: discarded
        "festivals-0-name": "Cinéma du réel",
        "festivals-0-year": "2009",
        "festivals-1-name": "",
    }
    response = client.post(step_url(application, "questions"), data)
    assert response.status_code == 302
    answers = dict(Answer.objects.values_list("question__code", "value"))
    assert answers == {"vr": False, "festivals": [{"name": "Cinéma du réel", "year": "2009"}]}


def test_question_length_limit_is_enforced_and_required_answer_is_listed_as_missing(client):
    application = DraftFactory()
    _questions(application.call)
    client.force_login(application.lead)
    response = client.post(
        step_url(application, "questions"),
        {"version": application.version, "vr": "yes", "headset": "x" * 21},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 20 characters" in response.content.decode()
    client.post(step_url(application, "questions"), {"version": application.version, "vr": "yes"})
    html = client.get(step_url(application, "review")).content.decode()
    assert "Answer the question “Quel casque ?”." in html


# --- Deadline: read-only after ----------------------------------------------------------------


def test_after_the_deadline_the_draft_is_read_only(client):
    application = DraftFactory()
    application.call.closes_at = timezone.now() - timedelta(seconds=1)
    application.call.save()
    with pytest.raises(ApplyError) as refused:
        services.save_project(
            application=application,
            by=application.lead,
            title="Trop tard",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.read_only"
    client.force_login(application.lead)
    response = client.post(step_url(application, "project"), _project_post(application, title="Z"))
    assert "can no longer be changed" in response.content.decode()
    html = client.get(step_url(application, "project")).content.decode()
    assert "hx-post" not in html and "<fieldset disabled>" in html
    application.refresh_from_db()
    assert application.title != "Z"


# --- Dashboard ----------------------------------------------------------------------------------


def test_dashboard_lists_led_and_joined_applications_with_what_is_missing(client):
    user = UserFactory()
    led = DraftFactory(lead=user)
    joined = make_complete(DraftFactory())
    invite(joined, user)
    DraftFactory()  # someone else's
    client.force_login(user)
    html = client.get(reverse("calls:my_applications")).content.decode()
    assert led.reference in html and joined.reference in html
    assert html.count("<tr>") == 3  # header + 2 rows
    assert "Write a summary of the project." in html


def test_dashboard_query_count_does_not_grow_with_applications(client):
    user = UserFactory()
    client.force_login(user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("calls:my_applications")).status_code == 200
        return len(queries)

    make_complete(DraftFactory(lead=user))
    few = count()
    for _ in range(4):
        application = make_complete(DraftFactory(lead=user))
        invite(application, UserFactory())
    assert count() == few
