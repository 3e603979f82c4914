"""One door for every state change (issue #8 §2), as an attacker would try it on the pages.

- The staff's generic transition form offers, and accepts, no transition that has its own service
  (a correction request without its window and ``CorrectionRequest``, a submission...).
- Nobody acts as staff on an application they lead or are on the team of, whatever their grants.
- A staff grant scoped to one call instructs that call: its list, applications and decisions,
  notes, labels, messages, bulk actions, saved filters and the documents' ZIP (pages and services),
  nothing of other calls, no call design; the menu leads its holder to the calls they instruct.
- Only team members who accepted their invitation count as partners for eligibility rules.
- Lists show each person only their rows: two teams, a pending invitee, a read-only partner.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token, grant_role
from filiere.audit.models import AuditEntry
from filiere.calls import exports, selectors_applicant, selectors_staff
from filiere.calls.exports import zip_names
from filiere.calls.models import (
    Application,
    CorrectionRequest,
    ExportJob,
    Label,
    SavedFilter,
)
from filiere.calls.services import instruction
from filiere.community.models import Territory
from filiere.engine.eligibility import Status
from tests.calls.apply_factories import invite
from tests.calls.instruction_factories import ApplicationFactory, CallFactory, add_document
from tests.factories import OrganisationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _staff_url(name, application, **extra):
    return reverse(
        name,
        kwargs={"slug": application.call.slug, "reference": application.reference, **extra},
    )


def _call_staff(call):
    user = user_with_role(Role.MEMBER, with_totp=True)
    grant_role(user=user, role=Role.STAFF, scope_type="call", scope_id=call.pk, by=None)
    user.refresh_from_db()
    return user


# --- the generic form cannot fire a transition that has its own service -----------------------


def test_the_generic_form_cannot_request_a_correction(client):
    staff = user_with_role("staff")
    application = ApplicationFactory(state="submitted")
    client.force_login(staff)
    page = client.get(_staff_url("calls:staff_application", application)).content.decode()
    assert (
        'value="request_correction"'
        not in page.split('id="transition', 1)[-1].split("</form>", 1)[0]
    )

    response = client.post(
        _staff_url("calls:staff_transition", application),
        {"code": "request_correction", "reason": "Kbis"},
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert (application.state, application.correction_until) == ("submitted", None)
    assert not CorrectionRequest.objects.exists()


def test_a_correction_request_through_its_own_form_opens_the_window(client):
    staff = user_with_role("staff")
    application = ApplicationFactory(state="submitted")
    client.force_login(staff)
    until = timezone.localtime() + timedelta(days=5)
    response = client.post(
        _staff_url("calls:staff_request_correction", application),
        {"items": "Kbis", "until": until.strftime("%Y-%m-%dT%H:%M"), "message": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "incomplete"
    assert application.correction_until is not None
    assert CorrectionRequest.objects.filter(application=application).count() == 1
    entry = AuditEntry.objects.get(action="calls.application.request_correction")
    assert entry.data["items"] == ["Kbis"]


def test_the_generic_form_refuses_a_decision_which_has_its_amount_and_second_signature(client):
    """Award, reject and defer are the committee's decision service's (an amount, a second
    signature, the letter): the generic form refuses them and the file stays before the
    committee."""
    staff = user_with_role("staff")
    application = ApplicationFactory(state="committee")
    client.force_login(staff)
    response = client.post(_staff_url("calls:staff_transition", application), {"code": "award"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == "committee"
    assert not AuditEntry.objects.filter(action="calls.application.award").exists()


# --- nobody instructs their own file --------------------------------------------------------------


@pytest.mark.parametrize("relation", ["lead", "member", "invited"])
def test_staff_cannot_decide_a_file_they_are_on(client, relation):
    staff = user_with_role("staff")
    if relation == "lead":
        application = ApplicationFactory(lead=staff)
    else:
        application = ApplicationFactory()
        invite(application, staff, accepted=relation == "member")
    client.force_login(staff)

    assert client.get(_staff_url("calls:staff_application", application)).status_code == 403
    response = client.post(
        _staff_url("calls:staff_decide", application), {"decision": "declare_eligible"}
    )
    assert response.status_code == 403
    response = client.post(
        _staff_url("calls:staff_transition", application),
        {"code": "record_withdrawal", "reason": "Par courrier"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"

    listed = client.get(
        reverse("calls:staff_applications", kwargs={"slug": application.call.slug})
    ).content.decode()
    assert application.reference not in listed


def test_staff_cannot_bulk_decide_their_own_file(client):
    staff = user_with_role("staff")
    call = CallFactory()
    own = ApplicationFactory(call=call, lead=staff)
    other = ApplicationFactory(call=call)
    client.force_login(staff)
    response = client.post(
        reverse("calls:staff_bulk", kwargs={"slug": call.slug}),
        {"action": "declare_eligible", "applications": [own.pk, other.pk]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.state, other.state) == ("submitted", "eligible")


# --- a staff grant scoped to one call ---------------------------------------------------------


def test_call_scoped_staff_instruct_their_call_and_nothing_else(client):
    mine = ApplicationFactory()
    other = ApplicationFactory()
    scoped = _call_staff(mine.call)
    client.force_login(scoped)

    listed = client.get(reverse("calls:staff_applications", kwargs={"slug": mine.call.slug}))
    assert listed.status_code == 200
    assert mine.reference in listed.content.decode()
    assert (
        client.get(
            reverse("calls:staff_applications", kwargs={"slug": other.call.slug})
        ).status_code
        == 403
    )
    assert client.get(_staff_url("calls:staff_application", mine)).status_code == 200
    assert client.get(_staff_url("calls:staff_application", other)).status_code == 403
    assert client.get(reverse("calls:design_calls")).status_code == 403

    response = client.post(
        _staff_url("calls:staff_decide", mine), {"decision": "declare_eligible", "reason": ""}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "eligible"


def test_call_scoped_staff_cannot_decide_their_own_file(client):
    application = ApplicationFactory()
    scoped = _call_staff(application.call)
    Application.objects.filter(pk=application.pk).update(lead=scoped)
    client.force_login(scoped)
    response = client.post(
        _staff_url("calls:staff_decide", application), {"decision": "declare_eligible"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == "submitted"


# --- only accepted team members are partners -----------------------------------------------------


def _walloon_company():
    return OrganisationFactory(
        seat_commune=None,
        territory=Territory.objects.get(code="wallonia"),
        country="BE",
        siren="",
        siret="",
    )


PARTNER_RULE = [{"kind": "required_partner", "min_count": 1, "territories": ["wallonia"]}]


def _partner_results(application):
    application = Application.objects.get(pk=application.pk)
    staff_report, error = selectors_staff.eligibility_report(application)
    assert error == ""
    applicant_report = selectors_applicant.eligibility_report(application, now=timezone.now())
    return [
        next(r.status for r in report.results if r.kind == "required_partner")
        for report in (staff_report, applicant_report)
    ]


def test_a_pending_invitation_does_not_satisfy_a_partner_rule():
    application = ApplicationFactory(call=CallFactory(eligibility_rules=PARTNER_RULE))
    partner = UserFactory()
    member = invite(application, partner, accepted=False)
    member.organisation = _walloon_company()
    member.save(update_fields=["organisation"])

    assert _partner_results(application) == [Status.FAILED, Status.FAILED]

    member.user = partner
    member.accepted_at = timezone.now()
    member.save(update_fields=["user", "accepted_at"])
    assert _partner_results(application) == [Status.PASSED, Status.PASSED]


# --- lists show each person their own rows only ---------------------------------------------------


def _api_references(client, user):
    token = create_api_token(user=user, name="t")[1]
    body = client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    return {row["reference"] for row in body["results"]}


def test_lists_never_show_another_teams_rows(client):
    call = CallFactory()
    team_a = ApplicationFactory(call=call)
    team_b = ApplicationFactory(call=call)
    read_only = UserFactory()
    invite(team_a, read_only, can_edit=False)
    pending = UserFactory()
    invite(team_a, pending, accepted=False)

    assert _api_references(client, team_a.lead) == {team_a.reference}
    assert _api_references(client, team_b.lead) == {team_b.reference}
    assert _api_references(client, read_only) == {team_a.reference}
    assert _api_references(client, pending) == set()

    for user, expected, hidden in (
        (team_a.lead, team_a, team_b),
        (read_only, team_a, team_b),
        (team_b.lead, team_b, team_a),
    ):
        client.force_login(user)
        page = client.get(reverse("calls:my_applications")).content.decode()
        assert expected.reference in page
        assert hidden.reference not in page
    client.force_login(pending)
    page = client.get(reverse("calls:my_applications")).content.decode()
    # The invitation is listed (to accept it), the file is not open to them yet.
    assert team_b.reference not in page
    assert reverse("calls:application_detail", args=[team_a.pk]) not in page
    assert client.get(reverse("calls:application_detail", args=[team_a.pk])).status_code == 404
    # None of them reaches the staff list.
    for user in (team_a.lead, read_only, pending):
        client.force_login(user)
        assert (
            client.get(reverse("calls:staff_applications", kwargs={"slug": call.slug})).status_code
            == 403
        )


def test_the_staff_lists_leave_out_the_staff_members_own_file(client):
    call = CallFactory()
    staff = user_with_role("staff")
    own = ApplicationFactory(call=call, lead=staff)
    other = ApplicationFactory(call=call)
    assert _api_references(client, staff) == {other.reference}
    client.force_login(staff)
    page = client.get(reverse("calls:staff_applications", kwargs={"slug": call.slug}))
    assert other.reference in page.content.decode()
    assert own.reference not in page.content.decode()
    csv = b"".join(
        client.get(
            reverse("calls:staff_export_list", kwargs={"slug": call.slug, "kind": "csv"})
        ).streaming_content
    ).decode()
    assert other.reference in csv and own.reference not in csv


# --- a staff grant scoped to one call: the rest of the instruction pages ------------------------
# Issue #8: notes, labels, messages, bulk actions, saved filters and the documents' ZIP checked
# the global staff role only: the page showed the forms to a call-scoped holder, posting gave 403.


def _call_url(name, call, **extra):
    return reverse(name, kwargs={"slug": call.slug, **extra})


def test_call_scoped_staff_write_notes_labels_and_messages_on_their_call(client):
    mine = ApplicationFactory()
    other = ApplicationFactory()
    scoped = _call_staff(mine.call)
    client.force_login(scoped)

    page = client.get(_staff_url("calls:staff_application", mine)).content.decode()
    assert _staff_url("calls:staff_add_note", mine) in page

    assert (
        client.post(_staff_url("calls:staff_add_note", mine), {"body": "Solide."}).status_code
        == 302
    )
    assert (
        client.post(_staff_url("calls:staff_add_label", mine), {"name": "à revoir"}).status_code
        == 302
    )
    response = client.post(_staff_url("calls:staff_post_message", mine), {"body": "Un devis ?"})
    assert response.status_code == 302
    assert list(mine.staff_notes.values_list("body", flat=True)) == ["Solide."]
    label = Label.objects.get(call=mine.call, name="à revoir")
    assert list(label.applications.all()) == [mine]
    message = mine.messages.get()
    assert (message.author, message.from_staff, message.body) == (scoped, True, "Un devis ?")
    response = client.post(_staff_url("calls:staff_remove_label", mine, pk=label.pk))
    assert response.status_code == 302
    assert not label.applications.exists()

    # Another call's application: refused, nothing written.
    assert client.post(_staff_url("calls:staff_add_note", other), {"body": "x"}).status_code == 403
    assert client.post(_staff_url("calls:staff_add_label", other), {"name": "x"}).status_code == 403
    assert (
        client.post(_staff_url("calls:staff_post_message", other), {"body": "x"}).status_code == 403
    )
    assert not other.staff_notes.exists() and not other.messages.exists()
    assert not Label.objects.filter(call=other.call).exists()


def test_call_scoped_staff_use_bulk_actions_and_saved_filters_on_their_call(client):
    call = CallFactory()
    first = ApplicationFactory(call=call)
    second = ApplicationFactory(call=call)
    other = ApplicationFactory()
    scoped = _call_staff(call)
    client.force_login(scoped)

    response = client.post(
        _call_url("calls:staff_bulk", call),
        {"action": "declare_eligible", "applications": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("eligible", "eligible")
    response = client.post(
        _call_url("calls:staff_bulk", call),
        {"action": "message", "body": "Bonne nouvelle.", "applications": [first.pk]},
    )
    assert response.status_code == 302
    assert first.messages.get().author == scoped

    response = client.post(
        _call_url("calls:staff_save_filter", call), {"name": "Éligibles", "status": "eligible"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=scoped, call=call)
    assert (saved.name, saved.query) == ("Éligibles", "status=eligible")
    listed = client.get(_call_url("calls:staff_applications", call)).content.decode()
    assert "Éligibles" in listed
    response = client.post(_call_url("calls:staff_delete_filter", call, pk=saved.pk))
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()

    # Another call: refused, nothing changed.
    response = client.post(
        _call_url("calls:staff_bulk", other.call),
        {"action": "declare_eligible", "applications": [other.pk]},
    )
    assert response.status_code == 403
    assert (
        client.post(_call_url("calls:staff_save_filter", other.call), {"name": "x"}).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.state == "submitted"
    assert not SavedFilter.objects.exists()


def test_call_scoped_staff_prepare_the_zip_of_their_call(
    client, django_capture_on_commit_callbacks
):
    mine = ApplicationFactory(reference="EI2009-0101")
    add_document(mine, "synopsis", name="synopsis.pdf", data=b"%PDF-1 mine")
    other = ApplicationFactory()
    scoped = _call_staff(mine.call)
    client.force_login(scoped)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_call_url("calls:staff_documents_zip", mine.call))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.requested_by == scoped
    assert client.get(response["Location"]).status_code == 200
    download = client.get(_call_url("calls:staff_export_download", mine.call, pk=job.pk))
    assert zip_names(b"".join(download.streaming_content)) == ["EI2009-0101/synopsis/synopsis.pdf"]

    assert client.post(_call_url("calls:staff_documents_zip", other.call)).status_code == 403
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("grant", ["global", "call"])
@pytest.mark.parametrize("relation", ["lead", "member", "invited"])
def test_nobody_writes_notes_labels_or_messages_as_staff_on_a_file_they_are_on(
    client, relation, grant
):
    call = CallFactory()
    scoped = user_with_role("staff") if grant == "global" else _call_staff(call)
    if relation == "lead":
        application = ApplicationFactory(call=call, lead=scoped)
    else:
        application = ApplicationFactory(call=call)
        invite(application, scoped, accepted=relation == "member")
    client.force_login(scoped)

    for name, data in (
        ("calls:staff_add_note", {"body": "Parfait."}),
        ("calls:staff_add_label", {"name": "coup de cœur"}),
        ("calls:staff_post_message", {"body": "Validé."}),
    ):
        assert client.post(_staff_url(name, application), data).status_code == 403, name
    response = client.post(
        _call_url("calls:staff_bulk", call),
        {"action": "message", "body": "Validé.", "applications": [application.pk]},
    )
    assert response.status_code == 302  # left out, with a message
    assert not application.staff_notes.exists()
    assert not application.messages.exists()
    assert not application.labels.exists()
    # The services say the same, whatever door calls them.
    with pytest.raises(instruction.NotAllowed):
        instruction.add_note(application=application, by=scoped, body="Parfait.")
    with pytest.raises(instruction.NotAllowed):
        instruction.add_label(application=application, name="coup de cœur", by=scoped)
    with pytest.raises(instruction.NotAllowed):
        instruction.post_message(application=application, by=scoped, body="x", from_staff=True)
    with pytest.raises(instruction.NotAllowed):
        instruction.bulk_message(applications=[application], body="x", by=scoped)


def test_the_services_refuse_another_calls_application_to_a_call_scoped_holder():
    mine = ApplicationFactory()
    other = ApplicationFactory()
    scoped = _call_staff(mine.call)
    with pytest.raises(instruction.NotAllowed):
        instruction.add_note(application=other, by=scoped, body="x")
    with pytest.raises(instruction.NotAllowed):
        instruction.save_filter(user=scoped, call=other.call, name="x", query="")
    with pytest.raises(PermissionError):
        exports.start_documents_zip(call=other.call, by=scoped)
    assert instruction.add_note(application=mine, by=scoped, body="ok").author == scoped


# --- a call-scoped holder finds their calls from the menu ----------------------------------------


def test_call_scoped_staff_find_their_calls_application_list_from_the_menu(client):
    mine = ApplicationFactory()
    other = ApplicationFactory()
    scoped = _call_staff(mine.call)
    client.force_login(scoped)

    home = client.get(reverse("ui:home")).content.decode()
    landing = reverse("calls:staff_calls")
    assert f'href="{landing}"' in home
    page = client.get(landing)
    assert page.status_code == 200
    text = page.content.decode()
    assert _call_url("calls:staff_applications", mine.call) in text
    assert _call_url("calls:staff_applications", other.call) not in text
    # The list's way back leads to that page, not to call design (403 for them).
    listed = client.get(_call_url("calls:staff_applications", mine.call)).content.decode()
    assert landing in listed
    assert reverse("calls:design_calls") not in listed


def test_the_menu_shows_no_instruction_link_without_a_staff_grant(client):
    member = user_with_role(Role.MEMBER)
    client.force_login(member)
    home = client.get(reverse("ui:home")).content.decode()
    assert reverse("calls:staff_calls") not in home
    assert client.get(reverse("calls:staff_calls")).status_code == 403
