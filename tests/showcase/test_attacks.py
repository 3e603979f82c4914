"""Attacks on the showcase: another team's member, a pending invitee, a member who may not
edit, staff of another call, anonymous visitors on drafts, staff on their own file, and
hostile files (a PDF or HTML page renamed .png, a polyglot, an oversized or huge image, EICAR
through a real clamd). Each learns nothing (404 or 403) and changes nothing."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from django.urls import reverse
from PIL import Image as Pillow
from PIL import PngImagePlugin

from filiere.errors import NotAllowed
from filiere.showcase import services
from filiere.showcase.models import Entry, EntryStatus, Image
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, pdf_bytes
from tests.factories import UserFactory, add_member

from .factories import call_staff, clean_image, draft, funded, image_bytes, png_upload, staff

pytestmark = pytest.mark.django_db

clamd_server = _clamd.clamd_server
clamd = _clamd.clamd


def _team_urls(case, image):
    reference = case.application.reference
    return {
        "get": [
            reverse("showcase:edit", args=[reference]),
            reverse("showcase:image_preview", args=[image.pk]),
        ],
        "post": [
            reverse("showcase:edit", args=[reference]),
            reverse("showcase:submit", args=[reference]),
            reverse("showcase:withdraw", args=[reference]),
            reverse("showcase:image_upload", args=[reference]),
            reverse("showcase:image_remove", args=[reference, image.pk]),
        ],
    }


def _assert_no_way_in(client, case, image):
    before = Entry.objects.values_list("version", "status").get(pk=image.entry_id)
    urls = _team_urls(case, image)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"title": "Pris", "summary": "x"}).status_code == 404, url
    assert Entry.objects.values_list("version", "status").get(pk=image.entry_id) == before
    assert Image.objects.filter(pk=image.pk).exists()


def _case_with_image():
    case = funded()
    entry = draft(case)
    return case, clean_image(entry, case.lead)


def test_another_teams_lead_gets_404_everywhere(client):
    case, image = _case_with_image()
    other = funded()
    client.force_login(other.lead)
    _assert_no_way_in(client, case, image)


def test_a_pending_invitee_is_not_on_the_team_yet(client):
    case, image = _case_with_image()
    invitee = UserFactory()
    add_member(case.application, email=invitee.email, accepted=False)
    client.force_login(invitee)
    _assert_no_way_in(client, case, image)


def test_a_member_who_may_not_edit_the_application_may_not_write_its_page(client):
    case, image = _case_with_image()
    reader = add_member(case.application, can_edit=False).user
    client.force_login(reader)
    _assert_no_way_in(client, case, image)


def test_staff_of_another_call_neither_list_nor_read_nor_approve(client):
    case, image = _case_with_image()
    entry = services.submit(user=case.lead, entry=image.entry)
    elsewhere = call_staff(funded().application.call)
    client.force_login(elsewhere)
    assert (
        client.get(reverse("showcase:moderation", args=[case.application.call.slug])).status_code
        == 403
    )
    assert client.get(reverse("showcase:review", args=[entry.pk])).status_code == 404
    response = client.post(reverse("showcase:approve", args=[entry.pk]), {"version": entry.version})
    assert response.status_code == 404
    assert client.get(reverse("showcase:image_preview", args=[image.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_staff_on_the_file_cannot_approve_it(client):
    case, image = _case_with_image()
    insider = staff()
    add_member(case.application, insider)
    entry = services.submit(user=case.lead, entry=image.entry)
    with pytest.raises(NotAllowed):
        services.approve(user=insider, entry=entry, version=entry.version)
    client.force_login(insider)
    assert client.get(reverse("showcase:review", args=[entry.pk])).status_code == 404
    response = client.post(reverse("showcase:approve", args=[entry.pk]), {"version": entry.version})
    assert response.status_code == 404
    page = client.get(reverse("showcase:moderation", args=[case.application.call.slug]))
    assert entry.application.reference not in page.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_anonymous_visitors_see_no_draft_nor_its_images(client):
    case, image = _case_with_image()
    entry = services.submit(user=case.lead, entry=image.entry)
    assert client.get(reverse("showcase:project", args=[entry.slug])).status_code == 404
    assert client.get(reverse("showcase:image", args=[image.pk])).status_code == 404
    preview = client.get(reverse("showcase:image_preview", args=[image.pk]))
    assert preview.status_code == 302 and "login" in preview["Location"]
    edit = client.get(reverse("showcase:edit", args=[case.application.reference]))
    assert edit.status_code == 302
    api = client.get(f"/api/v1/showcase/{entry.slug}")
    assert api.status_code == 404
    assert client.get("/api/v1/showcase").json()["count"] == 0


def _upload(client, case, name, data, alt="Une image"):
    client.force_login(case.lead)
    return client.post(
        reverse("showcase:image_upload", args=[case.application.reference]),
        {"image": png_upload(name, data), "alt": alt},
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("affiche.png", pdf_bytes()),
        ("page.png", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("eicar.png", EICAR),
        ("truncated.png", image_bytes()[:60]),
        ("vector.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
    ],
)
def test_a_file_that_is_not_a_png_or_jpeg_image_is_refused(client, name, data):
    case = funded()
    draft(case)
    response = _upload(client, case, name, data)
    assert response.status_code == 422
    assert not Image.objects.exists()


def test_a_polyglot_keeps_only_its_pixels(client):
    case = funded()
    draft(case)
    hostile = image_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    assert _upload(client, case, "poly.png", hostile).status_code == 302
    stored = Image.objects.get().file.open("rb").read()
    assert b"<script>" not in stored
    assert Pillow.open(io.BytesIO(stored)).format == "PNG"


def test_text_chunks_are_dropped(client):
    case = funded()
    draft(case)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script> secret GPS 50.72N")
    assert _upload(client, case, "t.png", image_bytes(pnginfo=info)).status_code == 302
    stored = Image.objects.get().file.open("rb").read()
    assert b"secret GPS" not in stored


def test_an_image_over_the_size_limit_is_refused(client, settings):
    settings.FILIERE_SHOWCASE_IMAGE_MAX_BYTES = 2000
    case = funded()
    draft(case)
    noisy = Pillow.frombytes("RGB", (64, 64), random.Random(1).randbytes(64 * 64 * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > 2000
    response = _upload(client, case, "big.png", out.getvalue())
    assert "2000" in response.content.decode() or "2 " in response.content.decode()
    assert response.status_code == 422
    assert not Image.objects.exists()


def test_a_request_far_above_the_limit_is_refused_before_it_is_read(client):
    case = funded()
    draft(case)
    response = _upload(client, case, "huge.png", image_bytes() + b"0" * (7 * 1024 * 1024))
    assert response.status_code == 413
    assert not Image.objects.exists()


def _huge_png(width: int, height: int) -> bytes:
    """A valid PNG header announcing ``width`` x ``height`` pixels with a tiny body (a
    decompression bomb's first bytes)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client):
    case = funded()
    draft(case)
    response = _upload(client, case, "bomb.png", _huge_png(60000, 60000))
    assert response.status_code == 422
    assert not Image.objects.exists()


def test_eicar_hidden_in_an_image_is_not_stored_and_the_image_is_clean(
    client, clamd, django_capture_on_commit_callbacks
):
    case = funded()
    draft(case)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", EICAR.decode())
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, case, "eicar.png", image_bytes(pnginfo=info)).status_code == 302
    image = Image.objects.get()
    assert b"EICAR" not in image.file.open("rb").read()
    assert image.scan_status == "clean"


def test_an_infected_stored_image_is_blocked_never_served_and_never_submitted(clamd):
    case = funded()
    entry = draft(case)
    image = services.add_image(user=case.lead, entry=entry, uploaded_file=png_upload(), alt="x")
    Image.objects.filter(pk=image.pk).update(scan_status="pending")
    with image.file.open("wb") as handle:  # what a storage compromise or a Pillow flaw could leave
        handle.write(EICAR)
    assert services.scan_image(image_id=image.pk) == "infected"
    with pytest.raises(Exception) as caught:
        services.submit(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    assert caught.value.code == "showcase.images_blocked"


def test_uploads_are_throttled_per_user(client, settings):
    settings.FILIERE_UPLOAD_RATE = (1, 600)
    case = funded()
    draft(case)
    assert _upload(client, case, "one.png", image_bytes()).status_code == 302
    refused = _upload(client, case, "two.png", image_bytes())
    assert refused.status_code == 422
    assert Image.objects.count() == 1
