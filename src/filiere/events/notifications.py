"""E-mails of the events app, each in its recipient's language: a place freed from the waiting
list, a meeting request and its answer, an agenda changed by a schedule run.

Services never send mail and never import this module: they publish an event in their
transaction; once it has committed, ``tasks.py`` calls the ``send_*`` functions below. Each
e-mail is rendered from ``events/email/<name>_subject.txt`` and ``<name>_body.txt``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import User

from .models import Event, MeetingRequest, Registration
from .selectors import cards

LANGUAGES = ("fr", "en", "nl")


def _language(user: User) -> str:
    language = (user.preferred_language or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def _message(user: User, name: str, context: dict[str, object]) -> EmailMessage | None:
    if not user.email or not user.is_active:
        return None
    language = _language(user)
    with translation.override(language):
        event = context["event"]
        assert isinstance(event, Event)
        full = {
            **context,
            "title": event.title,
            "platform_name": settings.FILIERE_PLATFORM_NAME,
            "link": settings.FILIERE_SITE_URL + reverse(str(context["page"]), args=[event.pk]),
        }
        subject = " ".join(render_to_string(f"events/email/{name}_subject.txt", full).split())
        body = render_to_string(f"events/email/{name}_body.txt", full).strip() + "\n"
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )


def _send(messages: list[EmailMessage | None]) -> int:
    ready = [m for m in messages if m is not None]
    if not ready:
        return 0
    with get_connection() as connection:
        return connection.send_messages(ready) or 0


def send_promoted(*, registration_id: int) -> int:
    registration = Registration.objects.select_related("event", "user").get(pk=registration_id)
    context = {"event": registration.event, "page": "events:detail"}
    return _send([_message(registration.user, "promoted", context)])


def send_request(*, request_id: int) -> int:
    request = MeetingRequest.objects.select_related("event", "recipient").get(pk=request_id)
    sender = cards([request.sender_id])[request.sender_id]
    context = {
        "event": request.event,
        "page": "events:meetings",
        "sender": sender,
        "message": request.message,
    }
    return _send([_message(request.recipient, "request", context)])


def send_answer(*, request_id: int) -> int:
    request = MeetingRequest.objects.select_related("event", "sender").get(pk=request_id)
    other = cards([request.recipient_id])[request.recipient_id]
    context = {
        "event": request.event,
        "page": "events:meetings",
        "other": other,
        "accepted": request.status == "accepted",
    }
    return _send([_message(request.sender, "answer", context)])


def send_agenda_changed(*, event_id: int, user_ids: list[int]) -> int:
    event = Event.objects.get(pk=event_id)
    context = {"event": event, "page": "events:agenda"}
    users = User.objects.filter(pk__in=user_ids).order_by("pk")
    return _send([_message(user, "agenda", context) for user in users])
