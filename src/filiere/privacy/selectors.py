"""Everything the platform holds about one user, read for their export (``collect``).

Each section reads its app's models directly: the export is the one place that must see all of
them. What belongs to other people is left out or reduced to a name: other team members' e-mail
addresses, the staff's notes, the reviewers of the user's applications, the reporters of a
report. Keys are documented in docs/privacy.md; ``FORMAT_VERSION`` changes when they do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from filiere.accounts.models import ApiToken, Consent, ConsentPurpose, RoleGrant, User
from filiere.accounts.selectors import has_consent
from filiere.audit.models import AuditEntry
from filiere.calls.models import Application, Message
from filiere.committee.models import SessionMember, Vote
from filiere.community.models import Affiliation, AffiliationRequest, Person
from filiere.matchmaking.models import Post
from filiere.matchmaking.models_contacts import Block, Introduction, Report
from filiere.review.models import Declaration, Expert, ExpertiseProfile
from filiere.review.models_review import Review

FORMAT_VERSION = 1

#: The states of an application that are a legal record: submitted to the funder at least once.
DRAFT_STATES = ("draft",)


def plain(value: Any) -> Any:
    """A JSON-safe copy of a model field's value."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _fields(obj: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in names}


def name_of(user: User | None) -> str:
    """Another person's name as the export shows it (never their e-mail address)."""
    if user is None:
        return ""
    return user.get_full_name() or "—"


# --- Account ------------------------------------------------------------------------------------


def _account(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress  # allauth's model: an optional app's table
    from allauth.mfa.models import Authenticator

    grants = RoleGrant.objects.filter(user=user).order_by("granted_at", "id")
    return {
        **_fields(
            user,
            ["id", "email", "first_name", "last_name", "preferred_language", "date_joined"],
        ),
        "last_login": plain(user.last_login),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        "second_factors": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "roles": [
            {
                **_fields(grant, ["role", "scope_type", "scope_id", "granted_at", "revoked_at"]),
            }
            for grant in grants
        ],
        "api_tokens": [
            _fields(
                token,
                ["name", "read_only", "created_at", "expires_at", "last_used_at", "revoked_at"],
            )
            for token in ApiToken.objects.filter(user=user).order_by("created_at", "id")
        ],
        "consents": [
            _fields(consent, ["purpose", "granted", "recorded_at", "source"])
            for consent in Consent.objects.filter(user=user).order_by("recorded_at", "id")
        ],
    }


# --- Profile ------------------------------------------------------------------------------------


def _profile(user: User) -> dict[str, Any] | None:
    person = (
        Person.objects.filter(user=user)
        .select_related("territory")
        .prefetch_related("professions", "sectors", "skills", "works")
        .first()
    )
    if person is None:
        return None
    affiliations = Affiliation.objects.filter(person=person).select_related("organisation")
    requests = AffiliationRequest.objects.filter(person=person).select_related("organisation")
    return {
        **_fields(
            person,
            [
                "slug",
                "first_name",
                "last_name",
                "headline",
                "bio",
                "languages",
                "visibility",
                "field_visibility",
                "availability",
                "consent_at",
                "created_at",
                "updated_at",
            ],
        ),
        "territory": person.territory.code if person.territory else None,
        "professions": [profession.slug for profession in person.professions.all()],
        "sectors": [sector.slug for sector in person.sectors.all()],
        "skills": [{"slug": skill.slug, "name": skill.name} for skill in person.skills.all()],
        "works": [
            _fields(work, ["title", "year", "role", "description", "url"])
            for work in person.works.all()
        ],
        "affiliations": [
            {
                "organisation": affiliation.organisation.name,
                **_fields(affiliation, ["role", "title", "start_date", "end_date", "is_manager"]),
            }
            for affiliation in affiliations
        ],
        "affiliation_requests": [
            {
                "organisation": request.organisation.name,
                **_fields(request, ["role", "title", "status", "requested_at", "decided_at"]),
            }
            for request in requests
        ],
    }


# --- Applications -------------------------------------------------------------------------------


def applications_of(user: User) -> models.QuerySet[Application]:
    """The applications ``user`` leads or is on the team of."""
    return (
        Application.objects.filter(Q(lead=user) | Q(team__user=user))
        .distinct()
        .select_related("call", "organisation", "lead")
        .prefetch_related(
            "team__user",
            "budget_lines",
            "financing",
            "answers__question",
            "documents__document_type",
        )
        .order_by("created_at", "id")
    )


def _team_entry(member: Any, user: User) -> dict[str, Any]:
    mine = member.user_id == user.pk
    return {
        "role": member.role,
        # Other members: their name only (not their address); an invitation not yet accepted
        # has no name to show.
        "name": name_of(user) if mine else name_of(member.user),
        "is_you": mine,
        "email": member.email if mine else None,
        "accepted_at": plain(member.accepted_at),
    }


def _application(application: Application, user: User) -> dict[str, Any]:
    return {
        **_fields(
            application,
            [
                "reference",
                "title",
                "summary",
                "requested_amount",
                "state",
                "created_at",
                "submitted_at",
            ],
        ),
        "call": application.call.title_fr,
        "organisation": application.organisation.name,
        "you_lead_it": application.lead_id == user.pk,
        "lead": name_of(application.lead),
        "team": [_team_entry(member, user) for member in application.team.all()],
        "budget_lines": [
            _fields(line, ["chapter", "label", "amount", "regional_amount"])
            for line in application.budget_lines.all()
        ],
        "financing": [
            _fields(source, ["name", "kind", "amount", "secured"])
            for source in application.financing.all()
        ],
        "answers": {
            answer.question.code: plain(answer.value) for answer in application.answers.all()
        },
        "documents": [
            {
                "type": document.document_type.code,
                **_fields(
                    document, ["original_name", "content_type", "size", "sha256", "uploaded_at"]
                ),
                "uploaded_by_you": document.uploaded_by_id == user.pk,
            }
            for document in application.documents.all()
        ],
        # The messages the user wrote in the application's thread (the staff's are theirs).
        "messages": [
            _fields(message, ["body", "attachment_name", "attachment_sha256", "sent_at"])
            for message in Message.objects.filter(application=application, author=user).order_by(
                "pk"
            )
        ],
    }


# --- Expert, committee --------------------------------------------------------------------------


def _expert(user: User) -> dict[str, Any]:
    profile = ExpertiseProfile.objects.filter(user=user).prefetch_related("skills").first()
    reviews = (
        Review.objects.filter(assignment__expert__user=user)
        .select_related("assignment__application")
        .order_by("pk")
    )
    return {
        "pools": [
            {"fund": str(expert.fund), **_fields(expert, ["status", "invited_at", "joined_at"])}
            for expert in Expert.objects.filter(user=user).select_related("fund").order_by("pk")
        ],
        "expertise": None
        if profile is None
        else {
            **_fields(profile, ["keywords", "languages", "about", "updated_at"]),
            "skills": [skill.slug for skill in profile.skills.all()],
        },
        # The conflicts of interest the user declared (not those others declared about them).
        "declarations": [
            _fields(declaration, ["source", "kind", "reason"])
            | {
                "application": declaration.application.reference
                if declaration.application
                else None
            }
            for declaration in Declaration.objects.filter(declared_by=user)
            .select_related("application")
            .order_by("pk")
        ],
        "reviews": [
            {
                "application": review.assignment.application.reference,
                **_fields(
                    review,
                    [
                        "scores",
                        "opinion",
                        "confidential_note",
                        "recommendation",
                        "status",
                        "total",
                        "submitted_at",
                    ],
                ),
            }
            for review in reviews
        ],
    }


def _committee(user: User) -> dict[str, Any]:
    memberships = SessionMember.objects.filter(user=user).select_related("session")
    votes = Vote.objects.filter(voter=user).select_related("item__session", "item__application")
    return {
        "sessions": [
            {
                "session": member.session.title,
                "meets_at": plain(member.session.meets_at),
                **_fields(member, ["chairs", "added_at", "removed_at"]),
            }
            for member in memberships.order_by("pk")
        ],
        "votes": [
            {
                "session": vote.item.session.title,
                "application": vote.item.application.reference,
                "choice": vote.choice,
                "cast_at": plain(vote.cast_at),
            }
            for vote in votes.order_by("pk")
        ],
    }


# --- Matchmaking, events ------------------------------------------------------------------------


def _matchmaking(user: User) -> dict[str, Any]:
    introductions = Introduction.objects.filter(Q(requester=user) | Q(recipient=user))
    return {
        "posts": [
            _fields(
                post,
                [
                    "kind",
                    "title",
                    "description",
                    "starts_on",
                    "ends_on",
                    "duration",
                    "language",
                    "expires_on",
                    "status",
                    "created_at",
                ],
            )
            for post in Post.objects.filter(author=user).order_by("pk")
        ],
        "introductions": [
            {
                "you_asked": introduction.requester_id == user.pk,
                "other_person": name_of(
                    introduction.recipient
                    if introduction.requester_id == user.pk
                    else introduction.requester
                ),
                **_fields(introduction, ["message", "status", "created_at", "answered_at"]),
            }
            for introduction in introductions.select_related("requester", "recipient").order_by(
                "pk"
            )
        ],
        "blocks": [
            {"blocked": name_of(block.blocked), "created_at": plain(block.created_at)}
            for block in Block.objects.filter(blocker=user).select_related("blocked")
        ],
        # Reports the user filed; reports about them are not theirs to see (who reported).
        "reports": [
            {
                "reported": name_of(report.reported_user),
                **_fields(report, ["reason", "details", "status", "created_at"]),
            }
            for report in Report.objects.filter(reporter=user).select_related("reported_user")
        ],
    }


def _rows_of_user(model: type[models.Model], user: User) -> list[dict[str, Any]]:
    """The rows of ``model`` tied to ``user`` by a foreign key, each field as plain data; other
    people appear by name only."""
    links = [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]
    if not links:
        return []
    condition = Q()
    for field in links:
        condition |= Q(**{field.name: user})
    rows = []
    for obj in model._default_manager.filter(condition).order_by("pk"):
        row: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            if field.is_relation:
                related_id = getattr(obj, field.attname)
                if field.related_model is User:
                    row[field.name] = (
                        "you" if related_id == user.pk else name_of(getattr(obj, field.name))
                    )
                else:
                    related = getattr(obj, field.name)
                    row[field.name] = str(related) if related is not None else None
            elif not any(secret in field.name for secret in ("token", "key", "secret")):
                # A calendar feed's key is a credential, not data about the person.
                row[field.name] = plain(field.value_from_object(obj))
        rows.append(row)
    return rows


def _events(user: User) -> dict[str, Any] | None:
    # The events app is optional: its models are read only when it is installed.
    if not apps.is_installed("filiere.events"):
        return None
    config = apps.get_app_config("events")
    return {
        str(model._meta.model_name): rows
        for model in config.get_models()
        if (rows := _rows_of_user(model, user))
    }


# --- Audit --------------------------------------------------------------------------------------


def _audit(user: User) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(actor=user).order_by("at", "id")
    return [
        _fields(entry, ["at", "action", "object_type", "object_id", "reason", "ip_address"])
        for entry in entries
    ]


def consent_log(user: User) -> models.QuerySet[Consent]:
    """Every consent the user gave or withdrew, latest first."""
    return Consent.objects.filter(user=user).order_by("-recorded_at", "-id")


def current_consents(user: User) -> list[dict[str, Any]]:
    """Each purpose with its label and whether the user's latest word on it is yes."""
    return [
        {"purpose": value, "label": label, "granted": has_consent(user.pk, value)}
        for value, label in ConsentPurpose.choices
    ]


def collect(user: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as JSON-safe data (docs/privacy.md)."""
    return {
        "format": {
            "name": "filiere-personal-data",
            "version": FORMAT_VERSION,
            "generated_at": plain(timezone.now()),
        },
        "account": _account(user),
        "profile": _profile(user),
        "applications": [_application(app, user) for app in applications_of(user)],
        "expert": _expert(user),
        "committee": _committee(user),
        "matchmaking": _matchmaking(user),
        "events": _events(user),
        "audit": _audit(user),
    }
