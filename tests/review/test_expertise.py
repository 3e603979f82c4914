"""The expert's own pages: the expertise profile (with several past works) and the availability
and maximum load per current call of their funds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.review.models import Availability, ExpertiseProfile
from tests.calls.instruction_factories import CallFactory, FundFactory
from tests.factories import profession
from tests.review.factories import expert, open_call, other_fund, staff, user_with_role

pytestmark = pytest.mark.django_db

URL = reverse("review:my_expertise")


def _profile_data(**extra):
    data = {
        "professions": [profession().pk],
        "skills": "Unreal Engine, sound design",
        "keywords": "mining heritage, serious games",
        "languages": ["fr", "nl"],
        "about": "Twenty years of interactive documentaries.",
        "works-TOTAL_FORMS": "3",
        "works-INITIAL_FORMS": "0",
        "works-MIN_NUM_FORMS": "0",
        "works-MAX_NUM_FORMS": "30",
        "works-0-title": "Les gueules noires",
        "works-0-year": "2006",
        "works-0-description": "A web documentary on the miners of Lens.",
        "works-1-title": "Terrils",
        "works-1-year": "2008",
        "works-2-title": "",
        "works-2-year": "",
    }
    data.update(extra)
    return data


def test_an_expert_keeps_an_expertise_profile_with_past_works(client):
    reader = expert()
    client.force_login(reader)

    response = client.post(URL, _profile_data())

    assert response.status_code == 302
    profile = ExpertiseProfile.objects.get(user=reader)
    assert list(profile.professions.all()) == [profession()]
    # Typed tags find their vocabulary entries, whatever the case.
    assert sorted(s.slug for s in profile.skills.all()) == ["sound-design", "unreal-engine"]
    assert profile.keywords == ["mining heritage", "serious games"]
    assert profile.languages == ["fr", "nl"]
    assert [(w.title, w.year) for w in profile.past_works.all()] == [
        ("Terrils", 2008),
        ("Les gueules noires", 2006),
    ]
    page = client.get(URL).content.decode()
    assert "Les gueules noires" in page
    assert "mining heritage, serious games" in page


def test_a_work_without_its_year_is_refused_and_nothing_typed_is_lost(client):
    client.force_login(expert())

    response = client.post(URL, _profile_data(**{"works-1-year": ""}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the year of this work." in page
    assert 'value="Terrils"' in page
    assert "Twenty years of interactive documentaries." in page
    assert not ExpertiseProfile.objects.get().past_works.exists()


def test_a_year_out_of_range_gets_a_message_not_an_error_page(client):
    client.force_login(expert())

    response = client.post(URL, _profile_data(**{"works-0-year": "20066"}))

    assert response.status_code == 200
    assert 'value="20066"' in response.content.decode()


def test_only_experts_have_an_expertise_page(client):
    client.force_login(user_with_role("applicant"))
    assert client.get(URL).status_code == 403
    client.force_login(staff())
    assert client.get(URL).status_code == 403


def test_an_expert_without_second_factor_is_sent_to_set_one_up(client):
    client.force_login(expert(with_totp=False))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_an_expert_states_availability_and_load_per_current_call(client):
    fund = FundFactory()
    call = open_call(fund)
    reader = expert(fund)
    client.force_login(reader)
    url = reverse("review:my_availability", args=[call.slug])

    assert call.title in client.get(URL).content.decode()
    response = client.post(url, {"available": "yes", "max_load": "12"})

    assert response.status_code == 302
    availability = Availability.objects.get(call=call)
    assert (availability.available, availability.max_load) == (True, 12)
    assert "12 applications at most" in client.get(URL).content.decode()

    client.post(url, {"available": "no", "max_load": "12"})
    availability.refresh_from_db()
    assert (availability.available, availability.max_load) == (False, None)


def test_available_without_a_load_is_refused_with_a_message(client):
    fund = FundFactory()
    call = open_call(fund)
    client.force_login(expert(fund))

    response = client.post(
        reverse("review:my_availability", args=[call.slug]), {"available": "yes", "max_load": ""}
    )

    assert response.status_code == 200
    assert "Say how many applications you can read." in response.content.decode()
    assert not Availability.objects.exists()


def test_an_expert_of_another_fund_gets_404_on_a_call(client):
    call = open_call(FundFactory())
    client.force_login(expert(other_fund()))

    url = reverse("review:my_availability", args=[call.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"available": "yes", "max_load": "3"}).status_code == 404
    assert not Availability.objects.exists()


def test_a_call_long_closed_takes_no_more_availability(client):
    fund = FundFactory()
    old = CallFactory(
        fund=fund,
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=365),
    )
    client.force_login(expert(fund))

    assert client.get(reverse("review:my_availability", args=[old.slug])).status_code == 404
    assert old.title not in client.get(URL).content.decode()


def test_a_removed_expert_loses_the_pages_of_that_fund(client):
    fund = FundFactory()
    call = open_call(fund)
    reader = expert(fund)
    client.force_login(staff())
    from filiere.review.models import Expert

    row = Expert.objects.get(user=reader)
    client.post(reverse("review:pool_remove", args=[fund.slug, row.pk]), {"reason": "ended"})
    client.force_login(reader)

    assert client.get(URL).status_code == 403
    assert client.get(reverse("review:my_availability", args=[call.slug])).status_code == 403
