"""Find partners inside an application draft: the skills the team lacks, who has them (with the
reasons), and one click to invite a person as co-applicant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.calls.models import TeamMember
from filiere.community.models import Visibility
from filiere.matchmaking import services_contacts
from filiere.matchmaking.selectors_partners import find_partners, genre_skills
from tests.calls.apply_factories import DraftFactory
from tests.factories import AffiliationFactory, OrganisationFactory, SkillFactory, add_member

from .contacts_helpers import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary():
    sound = SkillFactory(name="Son", slug="son", label_en="Sound")
    design = SkillFactory(name="Design sonore", slug="design-sonore", label_en="Sound design")
    design.parent = sound
    design.save()
    mixing = SkillFactory(name="Mixage", slug="mixage", label_en="Mixing")
    mixing.parent = sound
    mixing.save()
    game = SkillFactory(name="Game design", slug="game-design", label_en="Game design")
    modelling = SkillFactory(
        name="Modélisation 3D", slug="modelisation-3d", label_en="3D modelling"
    )
    return {"sound": sound, "design": design, "mixing": mixing, "game": game, "3d": modelling}


@pytest.fixture
def draft():
    lead = member("Léa", "Producer")
    return DraftFactory(lead=lead)


def url(application, *skills):
    base = reverse("matchmaking:find_partners", kwargs={"pk": application.pk})
    return base + ("?" + "&".join(f"skill={s.slug}" for s in skills) if skills else "")


def test_the_team_page_links_to_find_partners(client, draft):
    client.force_login(draft.lead)
    page = client.get(
        reverse("calls:application_step", kwargs={"pk": draft.pk, "step": "team"})
    ).content.decode()
    assert reverse("matchmaking:find_partners", kwargs={"pk": draft.pk}) in page


def test_missing_skills_and_who_has_them_with_reasons(client, draft, vocabulary):
    v = vocabulary
    # The team: the lead plays game design; a member's organisation mixes sound.
    draft.lead.person.skills.set([v["game"]])
    teammate = member("Tom", "Team")
    mixing_studio = OrganisationFactory(name="Mix Studio")
    mixing_studio.skills.set([v["mixing"]])
    AffiliationFactory(person=teammate.person, organisation=mixing_studio)
    add_member(draft, teammate)
    # Candidates.
    exact = member("Sam", "Sounddesigner")
    exact.person.skills.set([v["design"], v["3d"]])
    broad = member("Dom", "Domain")
    broad.person.skills.set([v["sound"]])
    modeller = member("Mo", "Modeller")
    modeller.person.skills.set([v["3d"]])
    hidden_skills = member("Hid", "Den", field_visibility={"skills": Visibility.PRIVATE})
    hidden_skills.person.skills.set([v["design"]])
    private = member("Pri", "Vate", visibility=Visibility.PRIVATE)
    private.person.skills.set([v["design"]])
    blocked = member("Blo", "Cked")
    blocked.person.skills.set([v["design"]])
    services_contacts.block_member(by=blocked, blocked=draft.lead)
    lab = OrganisationFactory(name="Lab 3D")
    lab.skills.set([v["3d"]])
    AffiliationFactory(person=modeller.person, organisation=lab)

    client.force_login(draft.lead)
    response = client.get(url(draft, v["design"], v["mixing"], v["game"], v["3d"]))
    assert response.status_code == 200
    partners = response.context["partners"]
    assert {s.slug for s in partners.missing} == {"design-sonore", "modelisation-3d"}
    covered = {skill.slug: names for skill, names in partners.covered}
    assert covered == {"mixage": ["Mix Studio"], "game-design": ["Léa Producer"]}
    people = [c.person.display_name for c in partners.people]
    # Both missing skills first; then an exact match before a broader one.
    assert people == ["Sam Sounddesigner", "Mo Modeller", "Dom Domain"]
    dom = partners.people[2]
    assert [(m.wanted.slug, m.via.slug) for m in dom.matches] == [("design-sonore", "son")]
    assert "Tom Team" not in people and "Hid Den" not in people
    assert "Pri Vate" not in people and "Blo Cked" not in people
    [organisation] = partners.organisations
    assert organisation.organisation == lab
    assert [p.display_name for p in organisation.contacts] == ["Mo Modeller"]
    page = response.content.decode()
    assert "Sound design (through Sound, a broader or narrower skill)" in page
    assert "Invite Sam Sounddesigner as co-applicant" in page
    for user in (exact, broad, modeller, teammate):
        assert user.email not in page


def test_a_domain_of_the_team_covers_its_narrower_skills(draft, vocabulary):
    v = vocabulary
    draft.lead.person.skills.set([v["sound"]])
    partners = find_partners(draft, draft.lead, [v["design"], v["mixing"]])
    assert partners.missing == []
    assert [skill.slug for skill, _names in partners.covered] == ["design-sonore", "mixage"]


def test_the_genre_names_the_skills(client, draft, vocabulary):
    from filiere.calls.models import Genre

    genre = Genre.objects.get(code="serious-game")
    genre.skills.set([vocabulary["design"], vocabulary["game"]])
    draft.genre = genre
    draft.save()
    draft.lead.person.skills.set([vocabulary["game"]])
    assert {s.slug for s in genre_skills(draft)} == {"design-sonore", "game-design"}
    partners = find_partners(draft, draft.lead)
    assert [s.slug for s in partners.missing] == ["design-sonore"]
    assert partners.genre_has_skills
    client.force_login(draft.lead)
    page = client.get(url(draft)).content.decode()
    assert "Sound design — missing" in page


def test_one_click_invites_a_person_as_co_applicant(
    client, draft, vocabulary, mailoutbox, django_capture_on_commit_callbacks
):
    sam = member("Sam", "Sounddesigner")
    sam.person.skills.set([vocabulary["design"]])
    client.force_login(draft.lead)
    invite = reverse("matchmaking:find_partners_invite", kwargs={"pk": draft.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite,
            {"person": sam.person.slug, "role": "author", "query": "skill=design-sonore"},
            follow=True,
        )
    member_row = TeamMember.objects.get(application=draft)
    assert (member_row.user, member_row.role, member_row.accepted_at) == (sam, "author", None)
    assert AuditEntry.objects.filter(action="calls.team.invited").count() == 1
    assert [m.to for m in mailoutbox] == [[sam.email]]
    assert "Sam Sounddesigner has been invited to join the team as Author." in (
        response.content.decode()
    )
    assert response.redirect_chain[-1][0].endswith("?skill=design-sonore")
    # Invited: no longer proposed.
    assert find_partners(draft, draft.lead, [vocabulary["design"]]).people == []
    # Twice: the calls' own refusal, in words.
    again = client.post(invite, {"person": sam.person.slug, "role": "author"}, follow=True)
    assert "already" in again.content.decode()
    assert TeamMember.objects.filter(application=draft).count() == 1


def test_inviting_a_profile_without_account_or_hidden_is_refused(client, draft):
    from tests.factories import PersonFactory

    client.force_login(draft.lead)
    invite = reverse("matchmaking:find_partners_invite", kwargs={"pk": draft.pk})
    no_account = PersonFactory(user=None)
    hidden = member("Pri", "Vate", visibility=Visibility.PRIVATE)
    page = client.post(invite, {"person": no_account.slug, "role": "author"}, follow=True)
    assert "has no account on the platform" in page.content.decode()
    for slug in (hidden.person.slug, "no-such-person"):
        page = client.post(invite, {"person": slug, "role": "author"}, follow=True)
        assert "cannot be found" in page.content.decode()
    assert not TeamMember.objects.exists()


def test_only_the_lead_opens_it(client, draft):
    teammate = member("Tom", "Team")
    add_member(draft, teammate)
    stranger = member("Str", "Anger")
    for user in (teammate, stranger):
        client.force_login(user)
        assert client.get(url(draft)).status_code == 404
        response = client.post(
            reverse("matchmaking:find_partners_invite", kwargs={"pk": draft.pk}),
            {"person": stranger.person.slug, "role": "author"},
        )
        assert response.status_code == 404
    client.logout()
    assert client.get(url(draft)).status_code == 302


def test_the_page_reads_in_constant_queries(client, draft, vocabulary):
    def candidates(count, start):
        for i in range(start, start + count):
            person = member(f"C{i}", "Candidate")
            person.person.skills.set([vocabulary["design"], vocabulary["3d"]])
            organisation = OrganisationFactory(name=f"Studio {i}")
            organisation.skills.set([vocabulary["mixing"]])
            AffiliationFactory(person=person.person, organisation=organisation)

    client.force_login(draft.lead)
    page = url(draft, vocabulary["design"], vocabulary["3d"], vocabulary["mixing"])
    candidates(1, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(page).context["partners"].people) == 1
    candidates(6, 1)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(page).context["partners"].people) == 7
    assert len(many) == len(few)
