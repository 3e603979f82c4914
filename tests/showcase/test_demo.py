"""The demo's showcase step (``demo.showcase``, run by ``manage.py demo_applications`` after the
follow-up): closed projects and the first signed ones are published with a drawn image, one
page awaits approval, one was sent back; the gallery and a page open for anyone, the staff find
the page awaiting approval."""

import io

import pytest
from django.urls import reverse
from PIL import Image as Pillow

from filiere.accounts.models import Role
from filiere.awards.models import AgreementStatus
from filiere.demo.accounts import DEMO_STAFF_EMAIL
from filiere.demo.showcase import demo_picture, seed_demo_showcase
from filiere.showcase.access import published_entries
from filiere.showcase.models import Entry
from tests.accounts.factories import user_with_role

from .factories import funded, open_call

pytestmark = pytest.mark.django_db


def test_the_demo_step_publishes_funded_projects_and_leaves_work_for_the_staff(client):
    staff = user_with_role(Role.STAFF, email=DEMO_STAFF_EMAIL)
    call = open_call()
    for _ in range(2):
        funded(call, status=AgreementStatus.CLOSED)
    for _ in range(5):
        funded(call, status=AgreementStatus.SIGNED)
    funded(call, status=AgreementStatus.SENT)  # not funded yet: no page

    result = seed_demo_showcase(call)

    assert (result.published, result.submitted, result.changes_requested) == (5, 1, 1)
    public = list(published_entries().filter(application__call=call))
    assert len(public) == 5
    closed = Entry.objects.filter(application__agreement__status="closed")
    assert closed.count() == 2 and all(entry.is_public for entry in closed)
    assert not Entry.objects.filter(application__agreement__status="sent").exists()
    changes = Entry.objects.get(status="changes_requested")
    assert changes.changes_reason and not changes.is_public

    gallery = client.get(reverse("showcase:gallery")).content.decode()
    assert all(entry.published_title in gallery for entry in public)
    assert client.get(reverse("showcase:project", args=[public[0].slug])).status_code == 200
    image = public[0].images.get()
    assert image.alt
    assert client.get(reverse("showcase:image", args=[image.pk]))["Content-Type"] == "image/png"

    client.force_login(staff)
    listing = client.get(reverse("showcase:moderation", args=[call.slug])).content.decode()
    waiting = Entry.objects.get(status="submitted")
    assert waiting.application.reference in listing


def test_the_demo_pictures_are_small_pngs_that_differ_by_project():
    first, second = demo_picture("EI2009-0001"), demo_picture("EI2009-0002")
    assert first != second and demo_picture("EI2009-0001") == first
    assert Pillow.open(io.BytesIO(first)).format == "PNG"
    assert len(first) < 50_000
