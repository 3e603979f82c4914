"""The site's menu leads experts to their pages and the staff of a fund to its pool."""

import pytest
from django.urls import reverse

from tests.calls.instruction_factories import FundFactory
from tests.review.factories import expert, fund_staff, open_call, staff, user_with_role

pytestmark = pytest.mark.django_db


def _menu(client, user):
    client.force_login(user)
    return client.get(reverse("ui:home")).content.decode()


def test_experts_find_their_expertise_in_the_menu(client):
    page = _menu(client, expert())

    assert f'href="{reverse("review:my_expertise")}"' in page
    assert f'href="{reverse("review:pools")}"' not in page


def test_the_staff_of_a_fund_find_its_pool_in_the_menu(client):
    for user in (staff(), fund_staff(FundFactory())):
        page = _menu(client, user)
        assert f'href="{reverse("review:pools")}"' in page
        assert f'href="{reverse("review:my_expertise")}"' not in page


def test_members_and_call_staff_see_neither(client):
    from tests.review.factories import call_staff

    for user in (user_with_role("applicant"), call_staff(open_call())):
        page = _menu(client, user)
        assert f'href="{reverse("review:pools")}"' not in page
        assert f'href="{reverse("review:my_expertise")}"' not in page
