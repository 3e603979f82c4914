"""A newcomer registers their organisation (French SIRET or Belgian BCE/KBO) or asks to join one;
managers and the staff confirm or refuse who else joins. No administrator is needed."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.calls import selectors_staff
from filiere.calls.selectors_applicant import eligibility_report, organisations_for_applicant
from filiere.calls.services.applications import ApplyError, create_application
from filiere.community import selectors, services
from filiere.community.models import (
    Affiliation,
    AffiliationRequest,
    AffiliationRole,
    Organisation,
)
from filiere.engine.eligibility import Status
from tests.calls.apply_factories import DraftFactory, OpenCallFactory
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    commune,
    territory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

FOUNDER = services.AffiliationDeclaration(role=AffiliationRole.FOUNDER, title="Producer")
EMPLOYEE = services.AffiliationDeclaration(role=AffiliationRole.EMPLOYEE, title="Developer")


def french(**changes) -> services.NewOrganisation:
    values = {
        "name": "Studio Beffroi",
        "kind": "company",
        "country": "FR",
        "identifier": "732 829 320 00074",
        "activity_code": "5911c",
        "seat_commune": commune("59599"),  # Tourcoing
    }
    return services.NewOrganisation(**{**values, **changes})


def belgian(**changes) -> services.NewOrganisation:
    values = {
        "name": "Meuse Productions SRL",
        "kind": "company",
        "country": "BE",
        "identifier": "BE 0403.019.261",
        "activity_code": "59111",
        "region": territory("wallonia"),
    }
    return services.NewOrganisation(**{**values, **changes})


def actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def manager_of(organisation) -> object:
    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organisation=organisation, is_manager=True)
    return user


# --- Registering an organisation ---------------------------------------------------------------


def test_member_registers_a_french_company_and_manages_it():
    user = UserFactory()
    organisation = services.create_organisation(by=user, data=french(), affiliation=FOUNDER)
    assert (organisation.siret, organisation.siren) == ("73282932000074", "732829320")
    assert (organisation.naf_code, organisation.country) == ("59.11C", "FR")
    assert organisation.territory.code == "mel"
    tie = Affiliation.objects.get(organisation=organisation)
    assert (tie.person.user, tie.is_manager, tie.title) == (user, True, "Producer")
    assert actions(organisation) == ["community.organisation.create"]
    assert actions(tie) == ["community.affiliation.create"]
    # The newcomer may now apply on its behalf, without anyone else.
    assert list(organisations_for_applicant(user)) == [organisation]


def test_member_registers_a_belgian_company_with_its_nace_bel_code():
    user = UserFactory()
    organisation = services.create_organisation(by=user, data=belgian(), affiliation=FOUNDER)
    assert (organisation.bce_number, organisation.nace_code) == ("0403019261", "59.111")
    assert (organisation.country, organisation.territory.code) == ("BE", "wallonia")
    assert (organisation.siret, organisation.naf_code, organisation.seat_commune) == ("", "", None)


@pytest.mark.parametrize(
    ("build", "changes", "code"),
    [
        (french, {"identifier": "73282932000079"}, "siret.invalid_checksum"),
        (french, {"activity_code": "59.11"}, "naf.invalid_format"),
        (french, {"seat_commune": None}, "organisation.seat_missing"),
        (belgian, {"identifier": "BE431150351"}, "bce.invalid_checksum"),
        (belgian, {"activity_code": "59.11C"}, "nace.invalid_format"),
        (belgian, {"region": None}, "organisation.seat_missing"),
    ],
)
def test_service_refuses_invalid_numbers_and_seats(build, changes, code):
    with pytest.raises(services.OrganisationError) as refused:
        services.create_organisation(by=UserFactory(), data=build(**changes), affiliation=FOUNDER)
    assert refused.value.code == code
    assert not Organisation.objects.exists()


def test_a_belgian_seat_is_a_belgian_region():
    with pytest.raises(services.OrganisationError) as refused:
        services.create_organisation(
            by=UserFactory(), data=belgian(region=territory("mel")), affiliation=FOUNDER
        )
    assert refused.value.code == "organisation.seat_missing"


@pytest.mark.parametrize(
    ("existing", "build"),
    [
        ({"siren": "732829320", "siret": "73282932000074"}, french),
        # Another establishment of the same company (same SIREN): still the same organisation.
        ({"siren": "732829320", "siret": "73282932000181"}, french),
        ({"siren": "", "siret": "", "bce_number": "0403019261", "country": "BE"}, belgian),
    ],
)
def test_a_known_number_is_claimed_never_duplicated(existing, build):
    organisation = OrganisationFactory(**existing)
    with pytest.raises(services.DuplicateOrganisation) as duplicate:
        services.create_organisation(by=UserFactory(), data=build(), affiliation=FOUNDER)
    assert duplicate.value.organisation == organisation
    assert Organisation.objects.count() == 1


# --- Joining (claiming) an organisation ----------------------------------------------------------


def test_a_claim_waits_for_the_manager_and_a_pending_affiliate_cannot_apply():
    organisation = services.create_organisation(
        by=UserFactory(), data=french(), affiliation=FOUNDER
    )
    manager = organisation.affiliations.get().person.user
    newcomer = UserFactory()
    request = services.request_affiliation(
        by=newcomer, organisation=organisation, declaration=EMPLOYEE
    )
    assert request.status == AffiliationRequest.Status.PENDING
    assert actions(request) == ["community.affiliation.request"]
    assert not organisations_for_applicant(newcomer).exists()
    with pytest.raises(ApplyError) as refused:
        create_application(
            call=OpenCallFactory(), organisation=organisation, by=newcomer, title="Mines"
        )
    assert refused.value.code == "apply.not_your_organisation"

    tie = services.confirm_affiliation(by=manager, request=request)
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.affiliation) == ("confirmed", manager, tie)
    assert (tie.person.user, tie.role, tie.is_manager) == (newcomer, "employee", False)
    assert actions(request) == ["community.affiliation.request", "community.affiliation.confirm"]
    assert list(organisations_for_applicant(newcomer)) == [organisation]


def test_manager_refuses_a_claim_with_a_reason():
    organisation = OrganisationFactory()
    manager = manager_of(organisation)
    request = services.request_affiliation(
        by=UserFactory(), organisation=organisation, declaration=EMPLOYEE
    )
    services.refuse_affiliation(by=manager, request=request, reason="Not one of ours")
    request.refresh_from_db()
    assert (request.status, request.reason) == ("refused", "Not one of ours")
    assert not Affiliation.objects.filter(organisation=organisation, is_manager=False).exists()
    entry = AuditEntry.objects.get(action="community.affiliation.refuse")
    assert (entry.actor, entry.reason) == (manager, "Not one of ours")


def test_a_colleague_who_is_not_the_manager_cannot_confirm():
    organisation = OrganisationFactory()
    manager_of(organisation)
    colleague = UserFactory()
    AffiliationFactory(person=PersonFactory(user=colleague), organisation=organisation)
    request = services.request_affiliation(
        by=UserFactory(), organisation=organisation, declaration=EMPLOYEE
    )
    with pytest.raises(services.PermissionDenied):
        services.confirm_affiliation(by=colleague, request=request)
    with pytest.raises(services.PermissionDenied):
        services.refuse_affiliation(by=colleague, request=request)
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_manager_of_another_organisation_cannot_confirm(client):
    organisation_a, organisation_b = OrganisationFactory(), OrganisationFactory()
    manager_a = manager_of(organisation_a)
    manager_of(organisation_b)
    request = services.request_affiliation(
        by=UserFactory(), organisation=organisation_b, declaration=EMPLOYEE
    )
    with pytest.raises(services.PermissionDenied):
        services.confirm_affiliation(by=manager_a, request=request)
    # Through the page: a 404, as if the request did not exist.
    client.force_login(manager_a)
    response = client.post(reverse("community:affiliation_confirm", args=[request.pk]))
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_staff_confirm_for_an_organisation_without_manager_who_then_manages_it():
    organisation = OrganisationFactory()  # registered before self-service: nobody manages it
    newcomer = UserFactory()
    request = services.request_affiliation(
        by=newcomer, organisation=organisation, declaration=EMPLOYEE
    )
    staff = user_with_role(Role.STAFF)
    tie = services.confirm_affiliation(by=staff, request=request)
    assert tie.is_manager


def test_nobody_asks_twice_or_to_join_where_they_already_work():
    user = UserFactory()
    organisation = services.create_organisation(by=user, data=french(), affiliation=FOUNDER)
    with pytest.raises(services.AffiliationError) as member:
        services.request_affiliation(by=user, organisation=organisation, declaration=EMPLOYEE)
    assert member.value.code == "affiliation.already_member"
    other = UserFactory()
    services.request_affiliation(by=other, organisation=organisation, declaration=EMPLOYEE)
    with pytest.raises(services.AffiliationError) as pending:
        services.request_affiliation(by=other, organisation=organisation, declaration=EMPLOYEE)
    assert pending.value.code == "affiliation.already_pending"


def test_a_decided_request_is_not_decided_again(client):
    organisation = OrganisationFactory()
    manager = manager_of(organisation)
    request = services.request_affiliation(
        by=UserFactory(), organisation=organisation, declaration=EMPLOYEE
    )
    services.confirm_affiliation(by=manager, request=request)
    client.force_login(manager)
    response = client.post(reverse("community:affiliation_refuse", args=[request.pk]), follow=True)
    assert "This request has already been decided." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "confirmed"


# --- Pages ----------------------------------------------------------------------------------------


def create_url(country: str) -> str:
    return reverse("community:organisation_create", args=[country])


FRENCH_FORM = {
    "name": "Studio Beffroi",
    "kind": "company",
    "identifier": "732 829 320 00074",
    "activity_code": "59.11C",
    "seat_commune": "",
    "role": "founder",
    "title": "Producer",
    "start_date": "2008-09-01",
}


def test_a_bad_siret_is_explained_and_nothing_typed_is_lost(client):
    client.force_login(UserFactory())
    form = {**FRENCH_FORM, "identifier": "732 829 320 00079"}
    form["seat_commune"] = str(commune("59599").pk)
    response = client.post(create_url("fr"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This SIRET number is not valid: check its digits." in body
    assert 'value="Studio Beffroi"' in body
    assert 'value="732 829 320 00079"' in body
    assert 'value="2008-09-01"' in body
    assert not Organisation.objects.exists()


def test_a_bad_nace_bel_code_is_explained(client):
    client.force_login(UserFactory())
    response = client.post(
        create_url("be"),
        {
            "name": "Meuse Productions SRL",
            "kind": "company",
            "identifier": "0403.019.261",
            "activity_code": "54.111",
            "region": str(territory("wallonia").pk),
            "role": "founder",
        },
    )
    assert "This NACE-BEL code does not exist" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_known_siret_offers_to_join_the_organisation(client):
    organisation = OrganisationFactory(siren="732829320", siret="73282932000074")
    client.force_login(UserFactory())
    form = {**FRENCH_FORM, "seat_commune": str(commune("59599").pk)}
    response = client.post(create_url("fr"), form)
    body = response.content.decode()
    assert "This organisation is already registered as" in body
    assert reverse("community:organisation_join", args=[organisation.slug]) in body
    assert Organisation.objects.count() == 1


def test_registering_goes_back_to_the_apply_page(client):
    user = UserFactory()
    client.force_login(user)
    apply_url = reverse("calls:application_create", args=[OpenCallFactory().slug])
    form = {**FRENCH_FORM, "seat_commune": str(commune("59599").pk), "next": apply_url}
    response = client.post(create_url("fr"), form)
    assert response.status_code == 302
    assert response["Location"] == apply_url
    page = client.get(apply_url).content.decode()
    assert "Studio Beffroi" in page
    # Elsewhere than this site: ignored, back to "My organisations".
    client.force_login(UserFactory())
    belgian_form = {
        "name": "Meuse Productions SRL",
        "kind": "company",
        "identifier": "0403.019.261",
        "activity_code": "59.111",
        "region": str(territory("wallonia").pk),
        "role": "founder",
        "next": "https://evil.example/",
    }
    response = client.post(create_url("be"), belgian_form)
    assert response["Location"] == reverse("community:my_organisations")


def test_joining_through_the_page_then_confirmed_by_the_manager(client):
    organisation = OrganisationFactory(name="Studio Terril")
    manager = manager_of(organisation)
    newcomer = UserFactory(first_name="Camille", last_name="Durand")
    client.force_login(newcomer)
    client.post(
        reverse("community:organisation_join", args=[organisation.slug]),
        {"role": "employee", "title": "Developer"},
    )
    mine = client.get(reverse("community:my_organisations")).content.decode()
    assert "Studio Terril — Waiting for confirmation" in mine

    client.force_login(manager)
    page = client.get(reverse("community:my_organisations")).content.decode()
    assert "Requests to confirm" in page and "Camille Durand" in page
    request = AffiliationRequest.objects.get()
    client.post(reverse("community:affiliation_confirm", args=[request.pk]))
    assert Affiliation.objects.filter(person__user=newcomer, organisation=organisation).exists()


def test_my_organisations_query_count_does_not_grow_with_rows(client):
    manager = UserFactory()
    person = PersonFactory(user=manager)

    def add_rows():
        organisation = OrganisationFactory()
        AffiliationFactory(person=person, organisation=organisation, is_manager=True)
        services.request_affiliation(
            by=UserFactory(), organisation=organisation, declaration=EMPLOYEE
        )
        services.request_affiliation(
            by=manager, organisation=OrganisationFactory(), declaration=EMPLOYEE
        )

    client.force_login(manager)
    url = reverse("community:my_organisations")
    add_rows()
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        add_rows()
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert len(response.context["to_decide"]) == 5
    assert len(five) == len(one)


def test_the_apply_page_leads_a_newcomer_to_register_their_organisation(client):
    client.force_login(UserFactory())
    apply_url = reverse("calls:application_create", args=[OpenCallFactory().slug])
    body = client.get(apply_url).content.decode()
    assert f"{reverse('community:organisation_new')}?next=" in body
    assert "Add your current organisation to your profile" not in body


# --- A Belgian lead company is eligible on its activity code --------------------------------------


def test_a_belgian_company_passes_the_activity_code_rule_for_applicant_and_staff():
    user = UserFactory()
    organisation = services.create_organisation(by=user, data=belgian(), affiliation=FOUNDER)
    application = DraftFactory(organisation=organisation, lead=user)
    application.call.eligibility_rules = [
        {"kind": "naf_code", "prefixes": ["59", "58.21Z", "62.01Z"]}
    ]
    application.call.save(update_fields=["eligibility_rules"])
    staff_report, _error = selectors_staff.eligibility_report(application)
    applicant_report = eligibility_report(application, now=datetime(2009, 9, 1, tzinfo=UTC))
    for report in (applicant_report, staff_report):
        result = next(r for r in report.results if r.kind == "naf_code")
        assert (result.status, result.code) == (Status.PASSED, "naf_code.passed")


# --- Corrections: a second person decides, and the staff can undo a wrong tie ----------------


def test_staff_never_confirm_their_own_request():
    organisation = OrganisationFactory()  # no manager: staff decide its first request
    staff = user_with_role(Role.STAFF)
    request = services.request_affiliation(
        by=staff, organisation=organisation, declaration=EMPLOYEE
    )

    with pytest.raises(services.PermissionDenied):
        services.confirm_affiliation(by=staff, request=request)
    assert not selectors.requests_to_decide(staff).filter(pk=request.pk).exists()
    assert not Affiliation.objects.filter(organisation=organisation).exists()


def test_a_refused_person_waits_before_asking_the_same_organisation_again():
    organisation = OrganisationFactory()
    manager = manager_of(organisation)
    asker = UserFactory()
    request = services.request_affiliation(
        by=asker, organisation=organisation, declaration=EMPLOYEE
    )
    services.refuse_affiliation(by=manager, request=request, reason="Not one of ours")

    with pytest.raises(services.AffiliationError) as again:
        services.request_affiliation(by=asker, organisation=organisation, declaration=EMPLOYEE)
    assert again.value.code == "affiliation.recently_refused"
    # Other organisations are not affected.
    services.request_affiliation(by=asker, organisation=OrganisationFactory(), declaration=EMPLOYEE)


def test_staff_end_a_squatters_tie_and_give_the_company_to_its_people(client):
    # Someone registered a company that is not theirs, and manages it; its real producer asked
    # to join. The staff end the squatter's tie and make the producer the manager.
    squatter = UserFactory()
    organisation = services.create_organisation(by=squatter, data=french(), affiliation=FOUNDER)
    producer = UserFactory()
    request = services.request_affiliation(
        by=producer, organisation=organisation, declaration=EMPLOYEE
    )
    staff = user_with_role(Role.STAFF)
    tie = services.confirm_affiliation(by=staff, request=request)
    squatter_tie = Affiliation.objects.get(organisation=organisation, person__user=squatter)
    client.force_login(staff)
    page = reverse("community:organisation", args=[organisation.slug])
    assert "End the affiliation of" in client.get(page).content.decode()

    refused = client.post(
        reverse("community:affiliation_end", args=[organisation.slug, squatter_tie.pk])
    )
    squatter_tie.refresh_from_db()
    assert refused.status_code == 302 and squatter_tie.end_date is None  # a reason is required

    client.post(
        reverse("community:affiliation_end", args=[organisation.slug, squatter_tie.pk]),
        {"reason": "Not the company's: SIRET checked with the producer"},
    )
    client.post(
        reverse("community:affiliation_make_manager", args=[organisation.slug, tie.pk]),
        {"reason": "The producer of the company"},
    )

    squatter_tie.refresh_from_db()
    tie.refresh_from_db()
    assert squatter_tie.end_date is not None and not squatter_tie.is_manager
    assert tie.is_manager
    assert list(organisations_for_applicant(squatter)) == []
    assert actions(squatter_tie)[-1] == "community.affiliation.end"
    assert actions(tie)[-1] == "community.affiliation.make_manager"
    assert AuditEntry.objects.get(action="community.affiliation.end").reason.startswith("Not the")


def test_only_staff_correct_ties_and_never_their_own():
    organisation = OrganisationFactory()
    manager = manager_of(organisation)
    tie = Affiliation.objects.get(organisation=organisation)
    with pytest.raises(services.PermissionDenied):
        services.end_affiliation(by=manager, affiliation=tie, reason="mine")
    staff = user_with_role(Role.STAFF)
    own = AffiliationFactory(person=PersonFactory(user=staff), organisation=organisation)
    with pytest.raises(services.PermissionDenied):
        services.make_manager(by=staff, affiliation=own, reason="me")
