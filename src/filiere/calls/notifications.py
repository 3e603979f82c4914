"""E-mails about applications, built from events: who receives them, rendered in each
recipient's language (transitions, messages, team invitations).

Services never send mail and never import this module: they publish an event (``events.py``:
the transition's code and the application, a posted message) in their transaction, and once it
has committed a task of ``tasks.py`` calls the ``send_*_now`` functions below (nothing is sent for
a change that was rolled back). They render one e-mail per recipient from
``calls/email/<name>_subject.txt`` and ``<name>_body.txt`` inside
``translation.override(recipient.language)``. Who is told of a transition is the engine's table
(``Transition.notify``, :func:`parties_told`).

Parties (``filiere.engine.workflow.Party``):

- ``applicant_team``: the lead and every team member who accepted the invitation (in their
  account's language);
- ``staff``: holders of the staff role, globally or for this call;
- ``experts``: the experts assigned to the application (:func:`assigned_experts`; none until the
  review stage records assignments), never every expert of the call;
- ``committee``: holders of the committee role, globally or for this call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from filiere.accounts.models import Role, RoleGrant, User
from filiere.engine import workflow

from . import phrases
from .models import Application, Message, TeamMember

__all__ = [
    "Recipient",
    "parties_told",
    "recipients_for",
    "render_email",
    "send_invitation_email_now",
    "send_message_emails_now",
    "send_transition_emails_now",
]

LANGUAGES = ("fr", "en", "nl")


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    party: str
    user_id: int | None = None


def _language(user: User | None) -> str:
    language = (getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _from_users(users: Iterable[User], party: str) -> list[Recipient]:
    return [
        Recipient(email=u.email, language=_language(u), party=party, user_id=u.pk)
        for u in users
        if u.email and u.is_active
    ]


def _role_holders(role: str, scopes: list[tuple[str, int]], *, include_global: bool) -> list[User]:
    condition = Q(pk__in=[])
    if include_global:
        condition |= Q(scope_type="")
    for scope_type, scope_id in scopes:
        condition |= Q(scope_type=scope_type, scope_id=scope_id)
    user_ids = RoleGrant.objects.filter(condition, role=role, revoked_at__isnull=True).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=user_ids).order_by("pk"))


def team_recipients(application: Application) -> list[Recipient]:
    """The lead and the members who accepted their invitation (a pending invitee has not joined:
    they read nothing of the application, by e-mail neither)."""
    recipients = _from_users([application.lead], "applicant_team")
    members = application.team.filter(user__isnull=False, accepted_at__isnull=False)
    for member in members.select_related("user").order_by("pk"):
        if member.user is not None:  # always, by the filter above
            recipients += _from_users([member.user], "applicant_team")
    return recipients


def assigned_experts(application: Application) -> list[User]:
    """The experts assigned to review this application: the only experts ever told about it.

    Holding the expert role for the call (or globally) is not enough: a withdrawal, its reason,
    a decision concern the experts who read the file. There is no assignment yet (the review
    stage will record them), so nobody is; this is the one place to read assignments then."""
    return []


def recipients_for(application: Application, parties: Iterable[str]) -> list[Recipient]:
    """One recipient per e-mail address, in the order of ``parties``."""
    call_scope = [("call", application.call_id)]
    found: list[Recipient] = []
    for party in parties:
        if party == "applicant_team":
            found += team_recipients(application)
        elif party == "staff":
            holders = _role_holders(Role.STAFF, call_scope, include_global=True)
            found += _from_users(holders, party)
        elif party == "experts":
            found += _from_users(assigned_experts(application), party)
        elif party == "committee":
            holders = _role_holders(Role.COMMITTEE, call_scope, include_global=True)
            found += _from_users(holders, party)
    seen: set[str] = set()
    unique = []
    for recipient in found:
        key = recipient.email.lower()
        if key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


# --- rendering ----------------------------------------------------------------------------------


def site_url() -> str:
    return settings.FILIERE_SITE_URL


def _absolute(path: str) -> str:
    return site_url() + path


def application_link(application: Application, party: str) -> str:
    """Where the recipient reads the application: the staff page, or the applicant's own."""
    if party in ("staff", "committee", "experts"):
        return _absolute(
            reverse(
                "calls:staff_application",
                kwargs={"slug": application.call.slug, "reference": application.reference},
            )
        )
    for name in ("calls:application", "calls:application_detail", "calls:my_application"):
        for kwargs in ({"reference": application.reference}, {"pk": application.pk}):
            try:
                return _absolute(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return _absolute("/")


def render_email(name: str, context: dict, language: str) -> tuple[str, str]:
    """(subject, body) of ``calls/email/<name>_*.txt`` in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"calls/email/{name}_subject.txt", context)
        body = render_to_string(f"calls/email/{name}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _email(recipient: Recipient, subject: str, body: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        headers={"Content-Language": recipient.language, "Auto-Submitted": "auto-generated"},
    )


# --- transitions --------------------------------------------------------------------------------

#: Transitions with their own wording; the others use the generic ``transition`` template.
_TEMPLATES = {"request_correction": "correction"}


def parties_told(code: str) -> list[str]:
    """The parties transition ``code`` names to be e-mailed (the engine's table)."""
    return [party.value for party in workflow.TRANSITIONS_BY_CODE[code].notify]


def send_transition_emails_now(
    *, application_id: int, code: str, reason: str, actor_id: int | None
) -> int:
    """E-mail the parties of transition ``code`` (fired by ``actor_id``, who is not told)."""
    application = Application.objects.select_related("call", "lead").get(pk=application_id)
    correction = (
        application.correction_requests.order_by("-requested_at", "-pk").first()
        if code == "request_correction"
        else None
    )
    template = _TEMPLATES.get(code, "transition")
    messages = []
    for recipient in recipients_for(application, parties_told(code)):
        if actor_id is not None and recipient.user_id == actor_id:
            continue  # the person who acted knows
        with translation.override(recipient.language):
            context = {
                "application": application,
                "call_title": application.call.title,
                "transition": phrases.transition_label(code),
                "state": str(application.get_state_display()),
                "reason": reason,
                "correction": correction,
                "party": recipient.party,
                "link": application_link(application, recipient.party),
                "platform_name": settings.FILIERE_PLATFORM_NAME,
            }
        subject, body = render_email(template, context, recipient.language)
        messages.append(_email(recipient, subject, body))
    return _send(messages)


# --- messages -----------------------------------------------------------------------------------


def send_message_emails_now(*, message_id: int) -> int:
    message = Message.objects.select_related("application__call", "application__lead").get(
        pk=message_id
    )
    application = message.application
    parties = ["applicant_team"] if message.from_staff else ["staff"]
    messages = []
    for recipient in recipients_for(application, parties):
        if recipient.user_id == message.author_id:
            continue
        context = {
            "application": application,
            "message": message,
            "party": recipient.party,
            "link": application_link(application, recipient.party),
            "platform_name": settings.FILIERE_PLATFORM_NAME,
        }
        subject, body = render_email("message", context, recipient.language)
        messages.append(_email(recipient, subject, body))
    return _send(messages)


# --- team invitations ---------------------------------------------------------------------------


def send_invitation_email_now(*, member_id: int) -> int:
    """E-mail the invitation to its address, in the invitee's language when the address is an
    account's, else in the lead's (the link opens the page in that language)."""
    member = TeamMember.objects.select_related(
        "application__call", "application__lead", "application__organisation"
    ).get(pk=member_id)
    invitee = User.objects.filter(email__iexact=member.email).first()
    language = invitee.preferred_language if invitee else member.application.lead.preferred_language
    with translation.override(language):
        context = {
            "member": member,
            "application": member.application,
            "site_url": site_url(),
            "url": reverse("calls:invitation_accept", kwargs={"token": member.invitation_token}),
        }
        subject = render_to_string("calls/applicant/email/invitation_subject.txt", context)
        body = render_to_string("calls/applicant/email/invitation.txt", context)
    return send_mail(" ".join(subject.split()), body, None, [member.email])
