"""Where the demo accounts start (``demo.landing``): the applicant's line names its agreement
and the observatory, the staff's the call's agreements, the payments awaiting an approval, the
ledger and the open data; each page opens for that account."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import User
from filiere.awards.models import Agreement
from filiere.calls.models import Call
from filiere.demo.accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.landing import landing_pages
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def _path(name, *args):
    # The demo prints its paths in the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def test_the_demo_accounts_are_pointed_to_the_awards_pages(client):
    output = demo()
    call = Call.objects.get(slug=MAIN)
    lines = {email: what for email, _path_, what in landing_pages(call)}
    applicant, staff = lines[DEMO_APPLICANT_EMAIL], lines[DEMO_STAFF_EMAIL]
    assert applicant in output and staff in output
    shown = Agreement.objects.filter(
        application__team__user__email=DEMO_APPLICANT_EMAIL,
        status__in=["sent", "signed", "amended", "closed"],
    )
    assert shown.exists()  # the demo's co-applicant file has its agreement
    mine = re.search(r"its grant agreement at (\S+?);", applicant)
    assert mine is not None
    expected = {
        DEMO_APPLICANT_EMAIL: [mine.group(1), _path("observatory:index")],
        DEMO_STAFF_EMAIL: [
            _path("awards:call_agreements", call.slug),
            _path("awards:payments_pending"),
            _path("awards:ledger"),
            _path("opendata:dataset"),
        ],
    }
    agreements = Agreement.objects.filter(application__call=call).count()
    assert f"the call's {agreements} agreements at" in staff
    for email, paths in expected.items():
        client.force_login(User.objects.get(email=email))
        for path in paths:
            assert path in lines[email]
            assert client.get(path).status_code == 200, (email, path)
