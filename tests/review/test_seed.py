"""The demo's pool: active experts with expertise and availability, the same rows on a rerun."""

import pytest

from filiere.accounts.models import Role
from filiere.review import selectors
from filiere.review.models import Availability, Declaration, Expert
from filiere.review.seed import PoolSeed, seed_pool
from tests.calls.instruction_factories import FundFactory
from tests.factories import OrganisationFactory
from tests.review.factories import UserFactory, application, open_call

pytestmark = pytest.mark.django_db


def test_the_demo_pool_is_ready_and_a_rerun_keeps_one_row_each():
    fund = FundFactory()
    call = open_call(fund)
    user = UserFactory()
    rival = OrganisationFactory(name="Rival Prod")
    seed = PoolSeed(
        user=user,
        professions=["animator-3d"],
        skills=["Unreal Engine"],
        keywords=["mining heritage"],
        works=[("Terrils", 2008, "A web documentary.")],
        max_load=8,
        conflicts=[(rival, "competitor", "Same broadcasters.")],
    )

    seed_pool(fund=fund, seeds=[seed], calls=[call])
    seed_pool(fund=fund, seeds=[seed], calls=[call])

    expert = Expert.objects.get()
    assert (expert.status, expert.user) == ("active", user)
    user.refresh_from_db()
    assert user.has_role(Role.EXPERT, scope_type="fund", scope_id=fund.pk)
    assert [w.title for w in user.expertise.past_works.all()] == ["Terrils"]
    assert Availability.objects.get().max_load == 8
    assert Declaration.objects.count() == 1
    app = application(call, organisation=rival)
    assert selectors.conflicted_pairs(call) == {(app.pk, expert.pk)}
