"""The showcase's one door: the team writes and submits, the call's staff approve or ask for
changes, the team withdraws; a later edit keeps the published version visible."""

from __future__ import annotations

import io

import pytest
from PIL import Image as Pillow

from filiere.audit.models import AuditEntry
from filiere.awards.models import AgreementStatus
from filiere.errors import Invalid, NotAllowed, ServiceError
from filiere.showcase import services
from filiere.showcase.access import published_entries
from filiere.showcase.models import Entry, EntryStatus, Image
from tests.factories import add_member

from .factories import clean_image, draft, funded, image_bytes, png_upload, published

pytestmark = pytest.mark.django_db


def test_the_lead_saves_a_draft_and_it_is_not_public():
    case = funded()
    entry = draft(case)
    assert entry.status == EntryStatus.DRAFT
    assert entry.slug == case.application.reference.lower()
    assert not published_entries().exists()
    assert AuditEntry.objects.filter(action="showcase.entry.created").exists()


def test_submit_approve_publishes_the_version_read():
    case = funded()
    entry = published(case)
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.published_title == "La Mine en jeu"
    assert list(published_entries()) == [entry]
    assert Image.objects.get(entry=entry).in_published
    assert AuditEntry.objects.filter(action="showcase.entry.approved", actor=case.staff).exists()


def test_a_later_edit_goes_back_for_approval_while_the_published_version_stays():
    case = funded()
    published(case)
    edited = draft(case, title="Nouveau titre")
    assert edited.status == EntryStatus.DRAFT
    assert edited.published_title == "La Mine en jeu"
    assert list(published_entries()) == [edited]
    submitted = services.submit(user=case.lead, entry=edited)
    approved = services.approve(user=case.staff, entry=submitted, version=submitted.version)
    assert approved.published_title == "Nouveau titre"


def test_a_removed_image_stays_public_until_the_new_version_is_approved():
    case = funded()
    entry = published(case)
    image = entry.images.get()
    services.remove_image(user=case.lead, image=image)
    image.refresh_from_db()
    assert image.in_published and not image.in_draft
    entry = services.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    services.approve(user=case.staff, entry=entry, version=entry.version)
    assert not Image.objects.filter(pk=image.pk).exists()


def test_the_staff_answer_a_stale_version_is_refused():
    case = funded()
    entry = draft(case)
    entry = services.submit(user=case.lead, entry=entry)
    read = entry.version
    draft(case, title="Changé pendant la lecture")
    with pytest.raises(ServiceError) as caught:
        services.approve(user=case.staff, entry=entry, version=read)
    assert caught.value.code in ("showcase.not_submitted", "showcase.stale")
    assert not published_entries().exists()


def test_request_changes_needs_a_reason_and_is_shown_to_the_team():
    case = funded()
    entry = services.submit(user=case.lead, entry=draft(case))
    with pytest.raises(Invalid):
        services.request_changes(user=case.staff, entry=entry, version=entry.version, reason=" ")
    asked = services.request_changes(
        user=case.staff, entry=entry, version=entry.version, reason="Retirez le tarif."
    )
    assert asked.status == EntryStatus.CHANGES_REQUESTED
    assert asked.changes_reason == "Retirez le tarif."
    assert not published_entries().exists()


def test_withdraw_takes_the_page_down_at_once():
    case = funded()
    entry = published(case)
    gone = services.withdraw(user=case.lead, entry=entry)
    assert gone.status == EntryStatus.WITHDRAWN
    assert not published_entries().exists()
    assert not Image.objects.filter(entry=entry, in_published=True).exists()


def test_a_closed_project_is_still_shown_and_a_draft_agreement_is_not_funded():
    case = funded(status=AgreementStatus.CLOSED)
    assert published(case).is_public
    unsigned = funded(status=AgreementStatus.SENT)
    with pytest.raises(ServiceError) as caught:
        draft(unsigned)
    assert caught.value.code == "showcase.not_funded"


def test_a_member_allowed_to_edit_writes_one_who_may_not_does_not():
    case = funded()
    editor = add_member(case.application, can_edit=True).user
    reader = add_member(case.application, can_edit=False).user
    services.save_draft(user=editor, application=case.application, title="T", summary="S", links=[])
    with pytest.raises(NotAllowed):
        services.save_draft(
            user=reader, application=case.application, title="T", summary="S", links=[]
        )


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "https://", "not a url"],
)
def test_links_are_http_or_https_only(url):
    case = funded()
    with pytest.raises(Invalid) as caught:
        draft(case, links=[{"url": url, "label": "x"}])
    assert caught.value.field == "links"


def test_at_most_five_links():
    case = funded()
    links = [{"url": f"https://example.org/{n}", "label": ""} for n in range(6)]
    with pytest.raises(Invalid):
        draft(case, links=links)


def test_an_image_needs_its_text_alternative():
    case = funded()
    entry = draft(case)
    with pytest.raises(Invalid) as caught:
        services.add_image(user=case.lead, entry=entry, uploaded_file=png_upload(), alt="  ")
    assert caught.value.code == "showcase.image.alt_missing"


def test_submit_waits_for_the_antivirus(settings):
    settings.FILIERE_CLAMD_SOCKET = ""
    settings.FILIERE_CLAMD_HOST = ""
    case = funded()
    entry = draft(case)
    services.add_image(user=case.lead, entry=entry, uploaded_file=png_upload(), alt="Une vue")
    with pytest.raises(ServiceError) as caught:
        services.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    assert caught.value.code == "showcase.images_pending"


def test_the_stored_image_has_no_metadata_left():
    case = funded()
    entry = draft(case)
    exif = Pillow.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 43.0, 12.0)}  # GPS IFD
    data = image_bytes("JPEG", exif=exif.tobytes())
    assert b"CameraMaker" in data
    image = services.add_image(
        user=case.lead,
        entry=entry,
        uploaded_file=png_upload("photo.jpg", data),
        alt="Une photo",
    )
    stored = image.file.open("rb").read()
    assert b"CameraMaker" not in stored and b"Exif" not in stored
    assert Pillow.open(io.BytesIO(stored)).getexif() == {}
    assert image.content_type == "image/jpeg"


def test_a_big_image_is_stored_smaller():
    case = funded()
    entry = draft(case)
    image = services.add_image(
        user=case.lead,
        entry=entry,
        uploaded_file=png_upload(data=image_bytes(size=(3000, 1000))),
        alt="Une bannière",
    )
    assert (image.width, image.height) == (2000, 667)


def test_six_images_at_most():
    case = funded()
    entry = draft(case)
    for n in range(6):
        clean_image(entry, case.lead, alt=f"Image {n}")
    with pytest.raises(ServiceError) as caught:
        services.add_image(user=case.lead, entry=entry, uploaded_file=png_upload(), alt="7")
    assert caught.value.code == "showcase.image.too_many"
