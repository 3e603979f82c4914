"""``manage.py demo``: seeded, idempotent, with an account for every role."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.db.models import Count

from filiere.accounts.models import Role, RoleGrant, User
from filiere.community.models import Organisation, OrganisationKind, Person
from filiere.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from filiere.demo.pool_texts import EXPERTS

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    # Tests run with DEBUG off, as production does.
    call_command("demo", "--i-know-this-is-not-production", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Person.objects.filter(is_demo=True).values_list("slug", "headline")),
        sorted(
            Organisation.objects.filter(is_demo=True).values_list("slug", "siret", "bce_number")
        ),
    )


def test_demo_runs_twice_with_the_same_picture_and_counts():
    output = run("--scale", "0.2", "--seed", "7")
    first = snapshot()
    run("--scale", "0.2", "--seed", "7")
    assert snapshot() == first
    # 60 generated people + 3 demo accounts with a profile + the 11 other experts of the pool
    # (demo.pool_texts: 10 in the pool, 1 who left it).
    assert Person.objects.count() == 63 + len(EXPERTS) + 1
    kinds = dict(Organisation.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[OrganisationKind.RESEARCH_LAB] == 1
    assert kinds[OrganisationKind.SCHOOL] == 1
    assert kinds[OrganisationKind.COMPANY] == 20 + 1 + 1 + 1  # French + Belgian partners
    assert Organisation.objects.filter(country="BE").count() == 3
    assert "60 people" in output
    assert User.objects.filter(email__in=[a[0] for a in DEMO_ACCOUNTS]).count() == 6


def test_demo_full_scale_counts():
    output = run()
    assert Person.objects.filter(is_demo=True, user__isnull=True).count() == 300
    assert Organisation.objects.filter(kind=OrganisationKind.RESEARCH_LAB).count() == 6
    assert Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count() == 4
    assert 100 <= Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() <= 115
    assert (
        Organisation.objects.filter(territory__code="mel").count()
        > Organisation.objects.filter(territory__code="valenciennes").count()
    )
    assert "300 people" in output


def test_demo_identifiers_are_valid():
    from filiere.engine.identifiers import check_bce, check_siret

    run("--scale", "0.3")
    for siret in Organisation.objects.exclude(siret="").values_list("siret", flat=True):
        assert check_siret(siret).ok
    for bce in Organisation.objects.exclude(bce_number="").values_list("bce_number", flat=True):
        assert check_bce(bce).ok


def test_demo_accounts_sign_in_ready_for_every_role():
    output = run("--scale", "0.1")
    run("--scale", "0.1")
    for email, _first, _last, roles, _profile in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
        held = set(
            RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "role", flat=True
            )
        )
        assert held == set(roles)
        needs_totp = bool({Role.EXPERT, Role.STAFF, Role.COMMITTEE, Role.ADMIN} & set(roles))
        assert (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count()
            == needs_totp
        )
        assert email in output
    applicant = RoleGrant.objects.get(
        user__email="applicant@example.org", role=Role.APPLICANT, revoked_at__isnull=True
    )
    assert applicant.scope_type == "organisation"
    assert Organisation.objects.filter(pk=applicant.scope_id).exists()
    assert DEMO_PASSWORD in output


def test_bad_scale_is_refused():
    with pytest.raises(CommandError):
        run("--scale", "0")
