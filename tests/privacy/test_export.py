"""Export all my data: the user's own data, nobody else's, as a ZIP (pages) or JSON (API)."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.privacy import services
from tests.accounts.factories import sign_in
from tests.factories import UserFactory

from .scenario import applicant_with_everything

pytestmark = pytest.mark.django_db

#: Other people's data that must never reach the applicant's export.
CANARIES = (
    "co-canary@example.org",
    "reviewer-canary@example.org",
    "Rosalind",
    "Reviewerstein",
    "other-canary@example.org",
    "Staff-note-canary-1188",
)


def _text(data):
    return json.dumps(data, ensure_ascii=False)


def test_the_export_holds_the_users_data_in_every_section():
    world = applicant_with_everything()

    data = services.export_data(user=world.applicant, by=world.applicant)

    account = data["account"]
    assert account["email"] == "zephyrine.quillfeather@example.org"
    assert [t["name"] for t in account["api_tokens"]] == ["My script"]
    assert [c["purpose"] for c in account["consents"]] == ["contact"]
    profile = data["profile"]
    assert profile["headline"] == "Sound designer, Zephyrine Sound"
    assert [w["title"] for w in profile["works"]] == ["Le Souffle des Mines"]
    assert [s["name"] for s in profile["skills"]] == ["Granular canary synthesis"]
    assert [a["organisation"] for a in profile["affiliations"]] == ["Canary Studio"]
    (application,) = data["applications"]
    assert application["reference"] == world.application.reference
    assert application["you_lead_it"] is True
    assert [d["original_name"] for d in application["documents"]] == ["synopsis-zephyrine.pdf"]
    assert len(application["documents"][0]["sha256"]) == 64
    assert [m["body"] for m in application["messages"]] == ["Applicant message 42"]
    # The co-applicant by name only.
    (member,) = application["team"]
    assert member == {
        "role": "author",
        "name": "Corentin Partnerson",
        "is_you": False,
        "email": None,
        "accepted_at": member["accepted_at"],
    }
    assert [p["title"] for p in data["matchmaking"]["posts"]] == ["Looking for a composer"]
    (introduction,) = data["matchmaking"]["introductions"]
    assert introduction["other_person"] == "Otto Outsider"
    assert introduction["message"] == "Hello Otto"
    assert {e["action"] for e in data["audit"]} >= {"api_token.created"}


def test_no_one_elses_address_notes_or_reviewers_reach_the_export():
    world = applicant_with_everything()

    text = _text(services.export_data(user=world.applicant, by=world.applicant))

    for canary in CANARIES:
        assert canary not in text, canary


def test_a_reviewer_exports_their_review_but_not_the_applicants_address():
    world = applicant_with_everything()

    data = services.export_data(user=world.reviewer, by=world.reviewer)

    (review,) = data["expert"]["reviews"]
    assert review["application"] == world.application.reference
    assert review["opinion"] == "Opinion 71"
    assert "zephyrine.quillfeather@example.org" not in _text(data)


def test_nobody_exports_someone_elses_data():
    world = applicant_with_everything()

    with pytest.raises(services.NotYourself):
        services.export_data(user=world.applicant, by=world.other)
    with pytest.raises(services.NotYourself):
        services.export_archive(user=world.applicant, by=world.other)


def test_the_download_asks_for_the_password_then_gives_a_zip_and_is_audited(client):
    world = applicant_with_everything()
    client.force_login(world.applicant)

    refused = client.post(reverse("privacy:export"))
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("account_reauthenticate"))

    client.logout()
    sign_in(client, world.applicant, reauthenticate=True)
    response = client.post(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "summary.html"]
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == "zephyrine.quillfeather@example.org"
    summary = archive.read("summary.html").decode()
    assert "Le Souffle des Mines" in summary
    assert "<script" not in summary
    for canary in CANARIES:
        assert canary not in summary
    entry = AuditEntry.objects.filter(action="privacy.exported").get()
    assert entry.actor_id == world.applicant.pk
    assert entry.data["format"] == "zip"


def test_markup_in_the_data_is_escaped_in_the_summary():
    user = UserFactory(first_name="<script>alert(1)</script>")

    archive = services.export_archive(user=user, by=user)

    summary = zipfile.ZipFile(io.BytesIO(archive.content)).read("summary.html").decode()
    assert "<script>alert(1)</script>" not in summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary


def test_the_api_answers_the_callers_own_data(client):
    world = applicant_with_everything()
    from filiere.accounts.services import create_api_token

    _token, key = create_api_token(user=world.other, name="other's")

    response = client.get("/api/v1/me/export", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    body = response.json()
    assert body["account"]["email"] == "other-canary@example.org"
    assert body["applications"] == []
    assert "zephyrine.quillfeather@example.org" not in response.content.decode()
    assert client.get("/api/v1/me/export").status_code == 401
