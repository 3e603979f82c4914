"""The demo's agreements: the 2009 call's files past the award have signed agreements (closed
with a closed project), the awarded ones whose letter went out have theirs sent or in draft, the
staff and the demo applicant find them, and a second run gives the same picture."""

import pytest
from django.urls import reverse

from filiere.accounts.models import User
from filiere.awards.models import Agreement
from filiere.calls.models import Application, Call
from filiere.demo.accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def picture(call):
    return sorted(
        Agreement.objects.filter(application__call=call).values_list(
            "application__reference", "status", "amount"
        )
    )


def test_the_demo_has_agreements_at_every_step_and_a_rerun_gives_the_same(client):
    output = demo()
    call = Call.objects.get(slug=MAIN)
    first = picture(call)
    assert "Agreements of experiences-interactives-2009:" in output
    assert first

    past = Application.objects.filter(call=call, state__in=["agreement", "in_payment", "closed"])
    for application in past:
        agreement = Agreement.objects.get(application=application)
        expected = "closed" if application.state == "closed" else "signed"
        assert agreement.status == expected
        assert agreement.signed_copy_scan_status == "clean"
        assert sum(t.amount for t in agreement.tranches.all()) == agreement.amount
    statuses = {status for _ref, status, _amount in first}
    assert {"signed", "sent", "draft"} <= statuses

    client.force_login(User.objects.get(email=DEMO_STAFF_EMAIL))
    page = client.get(reverse("awards:call_agreements", args=[MAIN]))
    assert page.status_code == 200
    draft = Agreement.objects.filter(application__call=call, status="draft").first()
    assert draft.application.reference in page.content.decode()
    assert client.get(reverse("awards:pdf", args=[draft.pk])).status_code == 200

    demo()
    assert picture(call) == first


def test_the_demo_applicant_reads_the_agreement_of_their_awarded_project(client):
    demo()
    applicant = User.objects.get(email=DEMO_APPLICANT_EMAIL)
    client.force_login(applicant)
    page = client.get(reverse("awards:my_agreements")).content.decode()
    mine = Agreement.objects.filter(
        application__team__user=applicant, status__in=["sent", "signed", "amended", "closed"]
    )
    assert mine.exists()
    assert mine.first().application.reference in page
