"""Instruction pages: the staff list (filters, sort, saved filters, bulk actions, query count),
the eligibility check and decisions, correction requests, messages, private notes and labels."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.calls.models import Application, DocumentRequirement, DocumentType, Label, SavedFilter
from filiere.calls.services.instruction import add_label, add_note, request_correction
from filiere.engine.eligibility import experiences_interactives_2009_rules, rules_to_json
from filiere.engine.workflow import is_editable_by_applicant
from tests.calls.instruction_factories import (
    ApplicationFactory,
    CallFactory,
    add_document,
    add_member,
    with_budget,
)
from tests.factories import OrganisationFactory, commune, territory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role("staff")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def call():
    return CallFactory()


def list_url(call, **params):
    from urllib.parse import urlencode

    url = reverse("calls:staff_applications", kwargs={"slug": call.slug})
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def app_url(application, name="calls:staff_application"):
    return reverse(name, kwargs={"slug": application.call.slug, "reference": application.reference})


def references(response):
    return [a.reference for a in response.context["page"].object_list]


# --- permissions ---------------------------------------------------------------------------------


def test_list_sends_anonymous_to_sign_in_and_refuses_applicants(client, call):
    response = client.get(list_url(call))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]

    client.force_login(user_with_role("applicant"))
    assert client.get(list_url(call)).status_code == 403


def test_applicant_lead_gets_403_on_the_staff_page_of_own_application(client):
    application = ApplicationFactory()
    client.force_login(application.lead)
    assert client.get(app_url(application)).status_code == 403
    assert client.get(app_url(application, "calls:staff_dossier_pdf")).status_code == 403


# --- the list ------------------------------------------------------------------------------------


def test_list_filters(staff_client, call):
    wallonia = territory("wallonia")
    belgian = OrganisationFactory(
        name="Studio Liégeois", seat_commune=None, territory=wallonia, country="BE"
    )
    a = ApplicationFactory(call=call, title="Mémoire de la mine", requested_amount=Decimal(30000))
    b = ApplicationFactory(
        call=call, organisation=belgian, requested_amount=Decimal(90000), state="eligible"
    )
    c = ApplicationFactory(call=call, state="draft", requested_amount=Decimal(150000))
    ApplicationFactory(title="Autre appel")  # another call: never listed

    assert set(references(staff_client.get(list_url(call)))) == {
        a.reference,
        b.reference,
        c.reference,
    }
    assert references(staff_client.get(list_url(call, status="eligible"))) == [b.reference]
    assert references(staff_client.get(list_url(call, status=["eligible", "draft"]))) == sorted(
        [b.reference, c.reference]
    )
    assert references(staff_client.get(list_url(call, territory="wallonia"))) == [b.reference]
    assert references(staff_client.get(list_url(call, organisation=belgian.pk))) == [b.reference]
    assert references(
        staff_client.get(list_url(call, min_amount="50000", max_amount="100000"))
    ) == [b.reference]
    assert references(staff_client.get(list_url(call, q="mine"))) == [a.reference]
    assert references(staff_client.get(list_url(call, q="liégeois"))) == [b.reference]
    assert references(staff_client.get(list_url(call, q=a.reference))) == [a.reference]


def test_list_filter_by_genre_and_label(staff_client, call, staff):
    from filiere.calls.models import Genre

    doc = Genre.objects.get(code="web-documentary")
    a = ApplicationFactory(call=call, genre=doc)
    b = ApplicationFactory(call=call)
    label = add_label(application=b, name="coup de cœur", by=staff)
    assert references(staff_client.get(list_url(call, genre=doc.pk))) == [a.reference]
    assert references(staff_client.get(list_url(call, label=label.pk))) == [b.reference]


def test_list_filter_missing_documents(staff_client, call):
    DocumentRequirement.objects.create(
        call=call, document_type=DocumentType.objects.get(code="synopsis"), required=True
    )
    complete = ApplicationFactory(call=call)
    add_document(complete, "synopsis")
    missing = ApplicationFactory(call=call)
    infected = ApplicationFactory(call=call)
    add_document(infected, "synopsis", scan="infected")

    assert set(references(staff_client.get(list_url(call, missing_documents="yes")))) == {
        missing.reference,
        infected.reference,
    }
    assert references(staff_client.get(list_url(call, missing_documents="no"))) == [
        complete.reference
    ]


def test_list_sort(staff_client, call):
    small = ApplicationFactory(call=call, requested_amount=Decimal(10000), title="Zèbre")
    large = ApplicationFactory(call=call, requested_amount=Decimal(140000), title="Abeille")
    middle = ApplicationFactory(call=call, requested_amount=Decimal(60000), title="Marmotte")
    assert references(staff_client.get(list_url(call, sort="-amount"))) == [
        large.reference,
        middle.reference,
        small.reference,
    ]
    assert references(staff_client.get(list_url(call, sort="title"))) == [
        large.reference,
        middle.reference,
        small.reference,
    ]


def test_bad_filter_values_are_reported_not_fatal(staff_client, call):
    ApplicationFactory(call=call)
    response = staff_client.get(list_url(call, min_amount="beaucoup", sort="nonsense", page="x"))
    assert response.status_code == 200
    assert len(references(response)) == 1
    assert "notice--error" in response.content.decode()


def test_counts_of_drafts_and_submitted_before_deadline(staff_client, call):
    ApplicationFactory.create_batch(2, call=call, state="draft")
    ApplicationFactory.create_batch(3, call=call, state="submitted")
    ApplicationFactory(
        call=call, state="submitted", submitted_at=call.closes_at + timedelta(seconds=1)
    )
    counts = staff_client.get(list_url(call)).context["counts"]
    assert counts == {"total": 6, "drafts": 2, "submitted_in_time": 3, "submitted_late": 1}


def test_saved_filter_round_trip(staff_client, call, staff):
    response = staff_client.post(
        reverse("calls:staff_save_filter", kwargs={"slug": call.slug}),
        {"name": "Wallons éligibles", "status": ["eligible"], "territory": "wallonia", "page": "3"},
    )
    saved = SavedFilter.objects.get(user=staff, call=call)
    assert saved.name == "Wallons éligibles"
    assert saved.query == "status=eligible&territory=wallonia"
    assert response["Location"].endswith("?status=eligible&territory=wallonia")

    page = staff_client.get(list_url(call)).content.decode()
    assert "Wallons éligibles" in page
    assert "?status=eligible&amp;territory=wallonia" in page

    other_staff = user_with_role("staff")
    staff_client.force_login(other_staff)
    assert "Wallons éligibles" not in staff_client.get(list_url(call)).content.decode()
    delete = reverse("calls:staff_delete_filter", kwargs={"slug": call.slug, "pk": saved.pk})
    assert staff_client.post(delete).status_code == 404
    staff_client.force_login(staff)
    assert staff_client.post(delete).status_code == 302
    assert not SavedFilter.objects.exists()


def test_list_query_count_is_constant(staff_client, call, staff):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(list_url(call))
        assert response.status_code == 200
        return len(queries)

    for application in ApplicationFactory.create_batch(5, call=call):
        add_label(application=application, name="à revoir", by=staff)
    few = count_queries()
    for application in ApplicationFactory.create_batch(45, call=call):
        add_label(application=application, name="complet", by=staff)
    assert len(staff_client.get(list_url(call)).context["page"].object_list) == 50
    assert count_queries() == few


# --- bulk actions --------------------------------------------------------------------------------


def bulk(client, call, applications, **data):
    return client.post(
        reverse("calls:staff_bulk", kwargs={"slug": call.slug}),
        {"applications": [a.pk for a in applications], **data},
    )


def test_bulk_ineligible_requires_a_reason(staff_client, call):
    applications = ApplicationFactory.create_batch(2, call=call)
    response = bulk(staff_client, call, applications, action="declare_ineligible", reason=" ")
    assert response.status_code == 302
    assert set(Application.objects.values_list("state", flat=True)) == {"submitted"}


def test_bulk_ineligible_with_one_reason(staff_client, call, django_capture_on_commit_callbacks):
    applications = ApplicationFactory.create_batch(3, call=call)
    draft = ApplicationFactory(call=call, state="draft")
    with django_capture_on_commit_callbacks(execute=True):
        bulk(
            staff_client,
            call,
            [*applications, draft],
            action="declare_ineligible",
            reason="Dossier hors du champ de l'appel.",
        )
    states = dict(Application.objects.values_list("reference", "state"))
    assert {states[a.reference] for a in applications} == {"ineligible"}
    assert states[draft.reference] == "draft"  # refused by the table, listed, not fatal
    assert len(mail.outbox) == 3
    assert all("Dossier hors du champ de l'appel." in m.body for m in mail.outbox)


def test_bulk_eligible_and_message(staff_client, call, django_capture_on_commit_callbacks):
    applications = ApplicationFactory.create_batch(2, call=call)
    bulk(staff_client, call, applications, action="declare_eligible")
    assert set(Application.objects.values_list("state", flat=True)) == {"eligible"}
    with django_capture_on_commit_callbacks(execute=True):
        bulk(staff_client, call, applications, action="message", body="Comité le 12 juin.")
    assert sum(a.messages.count() for a in applications) == 2
    assert len(mail.outbox) == 2


def test_bulk_only_touches_this_call(staff_client, call):
    elsewhere = ApplicationFactory()
    bulk(staff_client, call, [elsewhere], action="declare_eligible")
    elsewhere.refresh_from_db()
    assert elsewhere.state == "submitted"


def test_bulk_export_of_the_selection(staff_client, call):
    chosen, other = ApplicationFactory.create_batch(2, call=call)
    response = bulk(staff_client, call, [chosen], action="export_csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert chosen.reference in body
    assert other.reference not in body


# --- one application -----------------------------------------------------------------------------


@pytest.fixture
def ruled_application():
    call = CallFactory()
    call.eligibility_rules = rules_to_json(experiences_interactives_2009_rules(call.closes_at))
    call.save()
    application = with_budget(ApplicationFactory(call=call))
    add_document(application, "synopsis")
    return application


def test_eligibility_results_are_shown(staff_client, ruled_application):
    response = staff_client.get(app_url(ruled_application))
    assert response.status_code == 200
    results = response.context["results"]
    assert len(results) == len(experiences_interactives_2009_rules())
    failed = [r for r in results if r["status"] == "failed"]
    assert failed  # documents are missing
    assert all(r["message"] for r in results)
    assert response.content.decode().count("<h1") == 1


def test_ineligible_decision_requires_a_reason(staff_client, ruled_application):
    url = app_url(ruled_application, "calls:staff_decide")
    response = staff_client.post(url, {"decision": "declare_ineligible", "reason": ""})
    assert response.status_code == 400
    ruled_application.refresh_from_db()
    assert ruled_application.state == "submitted"

    response = staff_client.post(url, {"decision": "declare_ineligible", "reason": "Hors délai."})
    assert response.status_code == 302
    ruled_application.refresh_from_db()
    assert ruled_application.state == "ineligible"


def test_decision_refused_by_the_table_shows_the_message(staff_client):
    application = ApplicationFactory(state="eligible")
    response = staff_client.post(
        app_url(application, "calls:staff_decide"), {"decision": "declare_eligible"}
    )
    assert response.status_code == 400
    assert "not possible" in response.content.decode()


def test_other_transitions_through_the_menu(staff_client):
    application = ApplicationFactory(state="eligible")
    response = staff_client.post(
        app_url(application, "calls:staff_transition"), {"code": "start_review"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "under_review"


def test_correction_request_reopens_then_locks(staff_client):
    application = ApplicationFactory(state="submitted")
    until = timezone.localtime() + timedelta(days=2)
    response = staff_client.post(
        app_url(application, "calls:staff_request_correction"),
        {
            "items": "Kbis\n\n- Devis signé",
            "until": until.strftime("%Y-%m-%dT%H:%M"),
            "message": "",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "incomplete"
    assert application.correction_requests.get().items == ["Kbis", "Devis signé"]

    def editable(at):
        return is_editable_by_applicant(
            application.state, now=at, correction_until=application.correction_until
        )

    assert editable(timezone.now())
    assert not editable(application.correction_until + timedelta(seconds=1))

    later = application.correction_until + timedelta(minutes=1)
    from filiere.calls.services.instruction import close_expired_corrections

    assert close_expired_corrections(now=later) == 1
    application.refresh_from_db()
    assert application.correction_until is None
    assert application.correction_requests.get().closed_at == later
    assert not editable(later)


def test_close_expired_corrections_command(staff):
    application = ApplicationFactory(state="submitted")
    request_correction(
        application=application,
        items=["RIB"],
        until=timezone.now() + timedelta(days=1),
        by=staff,
    )
    Application.objects.filter(pk=application.pk).update(
        correction_until=timezone.now() - timedelta(minutes=1)
    )
    call_command("close_expired_corrections", stdout=__import__("io").StringIO())
    application.refresh_from_db()
    assert application.correction_until is None


def test_correction_date_must_be_in_the_future(staff_client):
    application = ApplicationFactory(state="submitted")
    past = timezone.localtime() - timedelta(hours=1)
    response = staff_client.post(
        app_url(application, "calls:staff_request_correction"),
        {"items": "Kbis", "until": past.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == "submitted"


# --- messages, notes, labels ---------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_message_with_a_pdf_attachment_is_kept_unserved_until_scanned(staff_client):
    # No scanner configured here: the attachment waits for the antivirus (see
    # test_attachments_scan.py for the verdicts of a real clamd).
    application = ApplicationFactory()
    upload = SimpleUploadedFile("devis final.pdf", PDF, content_type="application/pdf")
    response = staff_client.post(
        app_url(application, "calls:staff_post_message"),
        {"body": "Voir pièce jointe.", "attachment": upload},
    )
    assert response.status_code == 302
    message = application.messages.get()
    assert message.attachment_name == "devis final.pdf"
    assert "devis" not in message.attachment.name  # stored under a random name
    assert message.attachment_scan_status == "pending"
    download = staff_client.get(
        reverse(
            "calls:staff_message_attachment",
            kwargs={
                "slug": application.call.slug,
                "reference": application.reference,
                "pk": message.pk,
            },
        )
    )
    assert download.status_code == 409
    assert "The antivirus has not checked this file yet." in download.content.decode()


def test_message_attachment_disguised_by_extension_is_refused(staff_client):
    application = ApplicationFactory()
    upload = SimpleUploadedFile(
        "devis.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = staff_client.post(
        app_url(application, "calls:staff_post_message"), {"body": "x", "attachment": upload}
    )
    assert response.status_code == 400
    assert not application.messages.exists()


def test_team_member_reads_and_answers_messages(client, staff):
    application = ApplicationFactory()
    member = add_member(application).user
    from filiere.calls.services.instruction import post_message

    post_message(application=application, by=staff, body="Question du service.", from_staff=True)
    client.force_login(member)
    url = reverse("calls:application_messages", kwargs={"reference": application.reference})
    assert "Question du service." in client.get(url).content.decode()
    assert client.post(url, {"body": "Réponse de l'équipe."}).status_code == 302
    assert application.messages.filter(from_staff=False, author=member).exists()

    client.force_login(user_with_role("applicant"))
    assert client.get(url).status_code == 404


def test_notes_and_labels_never_reach_applicants(client, staff):
    application = ApplicationFactory()
    add_note(application=application, by=staff, body="NOTE-SECRETE budget gonflé")
    add_label(application=application, name="LABEL-SECRET", by=staff)
    member = add_member(application).user

    applicant_pages = [
        reverse("calls:application_messages", kwargs={"reference": application.reference}),
        reverse("calls:application_detail", kwargs={"pk": application.pk}),
        reverse("calls:my_applications"),
    ]
    for user in (application.lead, member):
        client.force_login(user)
        for url in applicant_pages:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            page = response.content.decode()
            assert "NOTE-SECRETE" not in page
            assert "LABEL-SECRET" not in page
        for url in (
            "/api/v1/applications",
            f"/api/v1/applications/{application.pk}",
        ):
            body = client.get(url).content.decode()
            assert application.reference in body
            assert "NOTE-SECRETE" not in body
            assert "LABEL-SECRET" not in body
            assert "notes_count" not in body
            assert '"labels"' not in body

    client.force_login(staff)
    page = client.get(app_url(application)).content.decode()
    assert "NOTE-SECRETE" in page
    assert "LABEL-SECRET" in page


def test_labels_add_and_remove(staff_client):
    application = ApplicationFactory()
    staff_client.post(app_url(application, "calls:staff_add_label"), {"name": "  à   revoir "})
    label = Label.objects.get()
    assert label.name == "à revoir"
    assert list(label.applications.all()) == [application]
    staff_client.post(
        reverse(
            "calls:staff_remove_label",
            kwargs={
                "slug": application.call.slug,
                "reference": application.reference,
                "pk": label.pk,
            },
        )
    )
    assert not label.applications.exists()


def test_detail_page_uses_a_territory_commune():
    # The factory organisation sits in Tourcoing (Lille metropolis).
    assert commune("59599").territory.code == "mel"


@pytest.mark.parametrize("crafted", ["²", "9" * 5000, "-1"])
def test_a_crafted_application_id_in_a_bulk_action_is_ignored_not_a_server_error(
    staff_client, call, crafted
):
    application = ApplicationFactory(call=call)
    response = staff_client.post(
        reverse("calls:staff_bulk", kwargs={"slug": call.slug}),
        {"applications": [crafted], "action": "declare_eligible"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
