"""E-mails about applications go to the right parties, each in the recipient's language."""

import pytest
from django.core import mail

from filiere.accounts.services import grant_role
from filiere.calls.notifications import recipients_for
from filiere.calls.services.instruction import post_message
from filiere.calls.services.submission import withdraw_application
from filiere.calls.services.transitions import transition_application
from tests.calls.instruction_factories import ApplicationFactory, add_member
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TITLES = {
    "fr": "Appel Expériences interactives 2009",
    "en": "Interactive experiences call 2009",
    "nl": "Oproep interactieve ervaringen 2009",
}


def titled_application(**kwargs):
    """An application to a call named ``TITLES``, which the subjects must quote."""
    titles = {f"call__title_{language}": title for language, title in TITLES.items()}
    return ApplicationFactory(**titles, **kwargs)


@pytest.fixture
def team_in_three_languages():
    application = titled_application(lead=UserFactory(preferred_language="fr"), state="submitted")
    add_member(application, UserFactory(preferred_language="en"), role="author")
    add_member(application, UserFactory(preferred_language="nl"), role="belgian_coproducer")
    return application


def _by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_each_team_member_gets_the_decision_in_their_language(
    team_in_three_languages, django_capture_on_commit_callbacks
):
    application = team_in_three_languages
    staff = user_with_role("staff")
    with django_capture_on_commit_callbacks(execute=True):
        transition_application(
            application=application,
            code="declare_ineligible",
            by=staff,
            reason="Le siège n'est pas dans un territoire éligible.",
        )

    sent = _by_recipient()
    members = {m.user.email: m.user.preferred_language for m in application.team.all()}
    members[application.lead.email] = "fr"
    assert set(sent) == set(members)
    for email, language in members.items():
        message = sent[email]
        assert TITLES[language] in message.subject, (language, message.subject)
        assert message.subject.startswith(f"[{application.reference}]")
        assert message.extra_headers["Content-Language"] == language
        assert "Le siège n'est pas dans un territoire éligible." in message.body
        assert "&#x27;" not in message.body  # plain text, not HTML-escaped


def test_staff_are_told_of_a_withdrawal_not_the_acting_lead(django_capture_on_commit_callbacks):
    application = titled_application(state="eligible")
    staff = user_with_role("staff", preferred_language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_application(application=application, by=application.lead)
    sent = _by_recipient()
    assert application.lead.email not in sent  # the person who acted is not told
    assert TITLES["nl"] in sent[staff.email].subject


def test_experts_of_the_call_are_not_told_of_a_withdrawal_nor_its_reason(
    django_capture_on_commit_callbacks,
):
    # Experts read only the files assigned to them: holding the expert role for the call (or
    # for every call) tells them nothing of the others, a withdrawal's reason included.
    application = ApplicationFactory(state="eligible")
    call_expert = UserFactory()
    grant_role(
        user=call_expert, role="expert", by=None, scope_type="call", scope_id=application.call_id
    )
    global_expert = UserFactory()
    grant_role(user=global_expert, role="expert", by=None)
    staff = user_with_role("staff")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_application(
            application=application, by=application.lead, reason="Notre coproducteur se retire."
        )
    sent = _by_recipient()
    assert staff.email in sent
    assert "Notre coproducteur se retire." in sent[staff.email].body
    assert call_expert.email not in sent
    assert global_expert.email not in sent


def test_correction_request_mail_lists_items_and_date(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from filiere.calls.services.instruction import request_correction

    application = titled_application(state="submitted", lead=UserFactory(preferred_language="en"))
    with django_capture_on_commit_callbacks(execute=True):
        request_correction(
            application=application,
            items=["Extrait Kbis de moins de 3 mois", "Plan de financement signé"],
            until=timezone.now() + timedelta(days=2),
            by=user_with_role("staff"),
        )
    (message,) = mail.outbox
    assert TITLES["en"] in message.subject
    assert "- Extrait Kbis de moins de 3 mois" in message.body
    assert "- Plan de financement signé" in message.body


def test_staff_message_notifies_team_and_applicant_message_notifies_staff(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory()
    staff = user_with_role("staff", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            application=application, by=staff, body="Merci d'ajouter le devis.", from_staff=True
        )
    assert [m.to for m in mail.outbox] == [[application.lead.email]]
    assert "Merci d'ajouter le devis." in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            application=application, by=application.lead, body="C'est fait.", from_staff=False
        )
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_recipients_per_party_and_no_duplicates():
    application = ApplicationFactory()
    add_member(application, application.lead)  # the lead also listed on the team
    expert = UserFactory()
    grant_role(user=expert, role="expert", by=None, scope_type="call", scope_id=application.call_id)
    committee = user_with_role("committee")

    team = recipients_for(application, ["applicant_team"])
    assert [r.email for r in team] == [application.lead.email]
    # Only experts assigned to the application are told (there is no assignment yet).
    assert recipients_for(application, ["experts"]) == []
    assert [r.email for r in recipients_for(application, ["committee"])] == [committee.email]
