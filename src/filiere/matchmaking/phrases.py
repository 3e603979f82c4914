"""Matchmaking's codes turned into sentences: the board's refusals (registered for the
``matchmaking.post.`` and ``matchmaking.moderation.`` prefixes in ``apps.py``) and the reasons a
suggestion gives (``suggestions.Reason`` codes), in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

REFUSALS: dict[str, Promise] = {
    # The board (services_board).
    "matchmaking.post.kind_unknown": gettext_lazy("Say whether you offer or look for something."),
    "matchmaking.post.title_missing": gettext_lazy("Give your post a title."),
    "matchmaking.post.title_too_long": gettext_lazy(
        "The title is too long: at most %(limit)s characters."
    ),
    "matchmaking.post.description_missing": gettext_lazy("Describe what you offer or look for."),
    "matchmaking.post.description_too_long": gettext_lazy(
        "The description is too long: at most %(limit)s characters."
    ),
    "matchmaking.post.duration_too_long": gettext_lazy(
        "The duration is too long: at most %(limit)s characters."
    ),
    "matchmaking.post.too_many_skills": gettext_lazy("Give at most %(limit)s skills."),
    "matchmaking.post.language_unknown": gettext_lazy("Choose one of the proposed languages."),
    "matchmaking.post.ends_before_start": gettext_lazy("The end date comes before the start date."),
    "matchmaking.post.expiry_past": gettext_lazy("The listing date must be after today."),
    "matchmaking.post.expiry_too_far": gettext_lazy(
        "A post is listed for at most %(days)s days: choose an earlier date."
    ),
    "matchmaking.post.not_manager": gettext_lazy(
        "You may post only for an organisation you manage."
    ),
    "matchmaking.post.too_many_open": gettext_lazy(
        "You already have %(limit)s posts awaiting moderation or published: withdraw one "
        "before posting another."
    ),
    "matchmaking.post.closed": gettext_lazy(
        "This post was withdrawn or refused: it can no longer be changed."
    ),
    "matchmaking.post.not_renewable": gettext_lazy(
        "Only a published post that has not expired yet can be renewed."
    ),
    # Moderation (services_board).
    "matchmaking.moderation.not_staff": gettext_lazy("Only the staff moderate the board."),
    "matchmaking.moderation.not_pending": gettext_lazy(
        "This post is no longer awaiting moderation."
    ),
    "matchmaking.moderation.reason_missing": gettext_lazy(
        "Give the author a reason for the refusal."
    ),
    "matchmaking.moderation.reason_too_long": gettext_lazy(
        "The reason is too long: at most %(limit)s characters."
    ),
    # Contacts: introductions, blocks (services_contacts).
    "matchmaking.contact.message_missing": gettext_lazy(
        "Write a short message: say who you are and why you would like to be introduced."
    ),
    "matchmaking.contact.message_too_long": gettext_lazy(
        "The message is too long: at most %(max)s characters."
    ),
    "matchmaking.contact.whom_missing": gettext_lazy(
        "Say whom you would like to be introduced to."
    ),
    "matchmaking.contact.not_visible": gettext_lazy(
        "This profile or post cannot be found (or is no longer shown)."
    ),
    "matchmaking.contact.no_account": gettext_lazy(
        "This person has no account on the platform: they cannot be asked for an introduction."
    ),
    "matchmaking.contact.self": gettext_lazy("You cannot ask to be introduced to yourself."),
    "matchmaking.contact.blocked": gettext_lazy(
        "Introductions between you and this member are not possible."
    ),
    "matchmaking.contact.no_consent": gettext_lazy(
        "This member does not accept introduction requests."
    ),
    "matchmaking.contact.already_introduced": gettext_lazy(
        "You have already been introduced to each other: see “My introductions”."
    ),
    "matchmaking.contact.already_pending": gettext_lazy(
        "You already asked this member: your request awaits their answer."
    ),
    "matchmaking.contact.asked_you": gettext_lazy(
        "This member already asked to be introduced to you: answer their request in "
        "“My introductions”."
    ),
    "matchmaking.contact.declined_recently": gettext_lazy(
        "This member declined your last request: you may ask again 30 days after their answer."
    ),
    "matchmaking.contact.too_many_today": gettext_lazy(
        "You sent %(count)s introduction requests in the last 24 hours, the most allowed: try "
        "again in about %(hours)s hours."
    ),
    "matchmaking.contact.too_many_pending": gettext_lazy(
        "%(count)s of your requests already await an answer, the most allowed: withdraw one or "
        "wait for answers before asking someone else."
    ),
    "matchmaking.contact.not_pending": gettext_lazy("This request has already been answered."),
    "matchmaking.contact.not_recipient": gettext_lazy(
        "Only the member who was asked accepts or declines this request."
    ),
    "matchmaking.contact.not_requester": gettext_lazy(
        "Only the member who asked withdraws this request."
    ),
    "matchmaking.contact.block_self": gettext_lazy("You cannot block yourself."),
    "matchmaking.contact.not_blocker": gettext_lazy("Only the member who blocked lifts a block."),
    # Reports (services_contacts).
    "matchmaking.report.reason_unknown": gettext_lazy("Choose one of the proposed reasons."),
    "matchmaking.report.details_too_long": gettext_lazy(
        "The details are too long: at most %(max)s characters."
    ),
    "matchmaking.report.what_missing": gettext_lazy(
        "Say what you report: one member, one request or one post."
    ),
    "matchmaking.report.not_party": gettext_lazy("You may report only a request you are part of."),
    "matchmaking.report.self": gettext_lazy("You cannot report yourself."),
    "matchmaking.report.not_moderator": gettext_lazy("Only the staff examine reports."),
    "matchmaking.report.outcome_missing": gettext_lazy(
        "Say what was done: it is kept in the audit log."
    ),
    "matchmaking.report.outcome_too_long": gettext_lazy(
        "The outcome is too long: at most %(max)s characters."
    ),
    "matchmaking.report.closed": gettext_lazy("This report has already been examined."),
    # Find partners (services_partners).
    "matchmaking.partners.not_visible": gettext_lazy(
        "This profile cannot be found (or is no longer shown)."
    ),
    "matchmaking.partners.no_account": gettext_lazy(
        "This person has no account on the platform: invite them by e-mail on the team page."
    ),
    "matchmaking.partners.blocked": gettext_lazy("You cannot invite this member."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a board code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)


def _listed(words: list[str]) -> str:
    """“a, b and c” in the active language."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def reason(code: str, params: Mapping[str, Any]) -> str:
    """A suggestion's reason (``suggestions.Reason``) as a sentence."""
    words = list(params.get("words", []))
    if code == "shared_skills":
        return ngettext("Shared skill: %(skills)s", "Shared skills: %(skills)s", len(words)) % {
            "skills": _listed(words)
        }
    if code == "related_skills":
        return ngettext(
            "Related skill (broader or narrower): %(skills)s",
            "Related skills (broader or narrower): %(skills)s",
            len(words),
        ) % {"skills": _listed(words)}
    if code == "matching_terms":
        return _("Their profile speaks of %(terms)s") % {"terms": _listed(words)}
    if code == "matching_terms_post":
        return _("The post speaks of %(terms)s") % {"terms": _listed(words)}
    if code == "same_territory":
        return _("Same territory: %(territory)s") % {"territory": params.get("territory", "")}
    if code == "genre":
        return ngettext(
            "The call is open to %(genres)s", "The call is open to %(genres)s", len(words)
        ) % {"genres": _listed(words)}
    return code
