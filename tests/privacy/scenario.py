"""One applicant with something in every corner of the platform, and the people around them,
each carrying a canary (a text found nowhere else) to tell whose data reaches an export."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from filiere.accounts.models import User
from filiere.accounts.services import create_api_token, record_consent
from filiere.calls.models import Message, StaffNote
from filiere.community.models import Work
from filiere.matchmaking.models import Post
from filiere.matchmaking.models_contacts import Introduction
from tests.committee.factories import expert, open_call, reviewed
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    add_document,
    add_member,
    user_with_role,
)


@dataclass
class World:
    applicant: User
    co_applicant: User
    reviewer: User
    other: User
    application: object


def applicant_with_everything() -> World:
    applicant = UserFactory(
        email="zephyrine.quillfeather@example.org",
        first_name="Zephyrine",
        last_name="Quillfeather",
    )
    co_applicant = UserFactory(
        email="co-canary@example.org", first_name="Corentin", last_name="Partnerson"
    )
    other = UserFactory(email="other-canary@example.org", first_name="Otto", last_name="Outsider")
    call = open_call()
    # An application before the committee, reviewed by `reviewer`, with a staff note.
    reviewer = expert(call.fund)
    User.objects.filter(pk=reviewer.pk).update(
        email="reviewer-canary@example.org", first_name="Rosalind", last_name="Reviewerstein"
    )
    reviewer.refresh_from_db()
    application = reviewed(call, [71], experts=[reviewer], lead=applicant)
    add_member(application, co_applicant)
    add_document(application, name="synopsis-zephyrine.pdf")
    StaffNote.objects.create(
        application=application, author=user_with_role("staff"), body="Staff-note-canary-1188"
    )
    Message.objects.create(application=application, author=applicant, body="Applicant message 42")
    person = PersonFactory(
        user=applicant,
        first_name="Zephyrine",
        last_name="Quillfeather",
        headline="Sound designer, Zephyrine Sound",
        bio="Bio of Zephyrine",
        skills=[SkillFactory(name="Granular canary synthesis")],
    )
    Work.objects.create(person=person, title="Le Souffle des Mines", year=2022)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Canary Studio"))
    create_api_token(user=applicant, name="My script")
    record_consent(user=applicant, purpose="contact", granted=True, source="test")
    Post.objects.create(
        kind="need",
        title="Looking for a composer",
        description="Zephyrine needs music",
        author=applicant,
        expires_on=timezone.now().date(),
    )
    Introduction.objects.create(requester=applicant, recipient=other, message="Hello Otto")
    return World(applicant, co_applicant, reviewer, other, application)
