"""The member's rights over their data: the export (audited) and the one door that deletes an
account (``delete_account``). What deletion keeps, and why, is in docs/privacy.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from filiere import errors
from filiere.accounts.models import ApiToken, ConsentPurpose, Role, RoleGrant, User
from filiere.accounts.selectors import has_consent
from filiere.accounts.services import record_consent
from filiere.audit.services import record
from filiere.calls.models import Application, TeamMember
from filiere.community.models import Affiliation, AffiliationRequest, Person, Visibility
from filiere.matchmaking.models import Post, PostStatus, SuggestionRun
from filiere.matchmaking.models_contacts import Block, Introduction, IntroductionStatus
from filiere.review.models import Expert, ExpertiseProfile

from .archive import MAX_EXPORT_BYTES, as_json, build_zip
from .selectors import collect

#: The name every deleted account and its profile take.
DELETED_NAME = "Deleted member"
#: The title a deleted member's offers and needs keep.
WITHDRAWN_TEXT = "—"
#: Roles that must be revoked by an administrator before the account can go.
BLOCKING_ROLES = (Role.STAFF, Role.ADMIN)
#: Application states after which nothing more happens to the file (its record is kept).
FINISHED_STATES = ("rejected", "ineligible", "closed", "withdrawn")


class PrivacyRefused(errors.ServiceError):
    """The account cannot be deleted now (``privacy.*``)."""


class NotYourself(errors.NotAllowed):
    """Only the user themselves may export or delete their data (``privacy.not_yourself``)."""


class ExportTooLarge(errors.ServiceError):
    """``privacy.export_too_large``."""


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    data: dict[str, Any]


def _require_self(*, user: User, by: User) -> None:
    if not by.is_authenticated or by.pk != user.pk:
        raise NotYourself("privacy.not_yourself")


def export_data(*, user: User, by: User) -> dict[str, Any]:
    """The user's data as a dict (the API's answer); audited."""
    _require_self(user=user, by=by)
    data = collect(user)
    record(actor=by, action="privacy.exported", obj=user, data={"format": "json"})
    return data


def export_archive(*, user: User, by: User) -> Export:
    """The user's data as a ZIP (data.json, summary.html); audited with its size."""
    _require_self(user=user, by=by)
    data = collect(user)
    json_bytes = as_json(data)
    if len(json_bytes) > MAX_EXPORT_BYTES:
        raise ExportTooLarge("privacy.export_too_large", {"bytes": len(json_bytes)})
    content = build_zip(data, json_bytes)
    record(
        actor=by,
        action="privacy.exported",
        obj=user,
        data={"format": "zip", "bytes": len(content)},
    )
    stamp = timezone.now().strftime("%Y%m%d")
    return Export(filename=f"filiere-my-data-{stamp}.zip", content=content, data=data)


# --- Deleting an account ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionCheck:
    """What deleting the account would do now: refusals first, then what goes and what stays."""

    refusals: list[tuple[str, dict[str, Any]]]
    drafts_deleted: list[str]
    applications_kept: list[str]

    @property
    def allowed(self) -> bool:
        return not self.refusals


@dataclass(frozen=True)
class Deletion:
    """What ``delete_account`` did; ``old_email`` and ``language`` to say so by e-mail."""

    old_email: str
    language: str
    drafts_deleted: list[str] = field(default_factory=list)
    applications_kept: list[str] = field(default_factory=list)


def _has_other_team(application: Application, user: User) -> bool:
    return any(
        member.user_id != user.pk and member.accepted_at is not None
        for member in application.team.all()
    )


def check_deletion(user: User) -> DeletionCheck:
    """Whether ``user`` may delete their account now, and what would be deleted or kept."""
    refusals: list[tuple[str, dict[str, Any]]] = []
    if RoleGrant.objects.filter(
        user=user, role__in=BLOCKING_ROLES, revoked_at__isnull=True
    ).exists():
        refusals.append(("privacy.holds_staff_role", {}))
    led = list(Application.objects.filter(lead=user).prefetch_related("team").order_by("reference"))
    in_progress = [
        app.reference for app in led if app.state != "draft" and app.state not in FINISHED_STATES
    ]
    if in_progress:
        refusals.append(
            ("privacy.leads_application_in_progress", {"references": ", ".join(in_progress)})
        )
    shared_drafts = [
        app.reference for app in led if app.state == "draft" and _has_other_team(app, user)
    ]
    if shared_drafts:
        refusals.append(("privacy.leads_shared_draft", {"references": ", ".join(shared_drafts)}))
    drafts = [app.reference for app in led if app.state == "draft"]
    kept = [app.reference for app in led if app.state != "draft"]
    kept += list(
        Application.objects.filter(team__user=user)
        .exclude(lead=user)
        .exclude(state="draft")
        .values_list("reference", flat=True)
    )
    return DeletionCheck(refusals=refusals, drafts_deleted=drafts, applications_kept=kept)


def placeholder_email(user: User) -> str:
    return f"deleted-{user.pk}@invalid"


def _anonymise_user(user: User) -> None:
    from allauth.account.models import EmailAddress  # allauth's tables: an optional app's models
    from allauth.mfa.models import Authenticator

    user.email = placeholder_email(user)
    user.username = None
    user.first_name = DELETED_NAME
    user.last_name = ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()


def _anonymise_profile(user: User) -> None:
    """The profile stays as a row (conflict declarations point at it), emptied and hidden."""
    for person in Person.objects.filter(user=user):
        person.works.all().delete()
        person.skills.clear()
        person.professions.clear()
        person.sectors.clear()
        Affiliation.objects.filter(person=person).delete()
        AffiliationRequest.objects.filter(person=person).delete()
        person.slug = f"deleted-{person.pk}"
        person.first_name = DELETED_NAME
        person.last_name = ""
        person.headline = person.bio = person.availability = ""
        person.languages = []
        person.field_visibility = {}
        person.territory = None
        person.visibility = Visibility.PRIVATE
        person.consent_at = None
        person.search_text = person.search_text_public = ""
        person.save()


def _delete_drafts(user: User, references: list[str]) -> None:
    drafts = list(Application.objects.filter(lead=user, state="draft", reference__in=references))
    files = [document.file for draft in drafts for document in draft.documents.all()]
    for draft in drafts:
        record(
            actor=user,
            action="privacy.draft_deleted",
            obj=draft,
            data={"reference": draft.reference},
        )
        draft.delete()

    # The files go once the rows are gone for good.
    def delete_files() -> None:
        for file in files:
            if file:
                file.delete(save=False)

    transaction.on_commit(delete_files)


def _leave_teams(user: User, old_email: str) -> None:
    # Someone else's draft: the user leaves its team; a submitted file keeps its team, renamed
    # (its receipt keeps the addresses as they were submitted).
    TeamMember.objects.filter(user=user, application__state="draft").delete()
    TeamMember.objects.filter(user=user).update(email=placeholder_email(user))
    TeamMember.objects.filter(
        user__isnull=True, application__state="draft", email__iexact=old_email
    ).delete()


def _matchmaking(user: User) -> None:
    now = timezone.now()
    # Posts stay as rows (a report may point at one), withdrawn and emptied of their text.
    Post.objects.filter(author=user).update(
        status=PostStatus.WITHDRAWN, title=WITHDRAWN_TEXT, description="", updated_at=now
    )
    Introduction.objects.filter(
        Q(requester=user) | Q(recipient=user), status=IntroductionStatus.PENDING
    ).update(status=IntroductionStatus.WITHDRAWN, answered_at=now)
    # What the user wrote to others goes; the other side keeps that the request happened.
    Introduction.objects.filter(requester=user).update(message="")
    Block.objects.filter(blocker=user).delete()
    # Stored suggestions are derived data: those of their posts (words matched from the text)
    # and their own "For you" go, and so do other posts' runs that name their profile (the
    # words it shared with the post). A page that needs one again queues a new run.
    SuggestionRun.objects.filter(Q(post__author=user) | Q(user=user)).delete()
    for person_id in Person.objects.filter(user=user).values_list("pk", flat=True):
        SuggestionRun.objects.filter(result__icontains=f'"person:{person_id}"').delete()


def _events(user: User) -> int:
    """Cancel the user's places at events not over yet (the waiting list moves up, their
    meetings go), decline the meeting requests still waiting, empty the messages they sent and
    delete their private calendar key. Returns how many registrations were cancelled."""
    # The events app is optional: read only when installed, imported here for that reason.
    if not apps.is_installed("filiere.events"):
        return 0
    from filiere.events import services as events
    from filiere.events.models import (
        CalendarToken,
        MeetingRequest,
        Registration,
        RequestStatus,
    )

    now = timezone.now()
    live = Registration.objects.filter(
        user=user, status__in=("registered", "waitlisted"), event__ends_at__gt=now
    ).select_related("event")
    cancelled = 0
    for registration in live:
        events.cancel_registration(event=registration.event, user=user, now=now)
        cancelled += 1
    MeetingRequest.objects.filter(
        Q(sender=user) | Q(recipient=user), status=RequestStatus.PENDING
    ).update(status=RequestStatus.DECLINED, answered_at=now)
    MeetingRequest.objects.filter(sender=user).update(message="")
    CalendarToken.objects.filter(user=user).delete()
    return cancelled


@transaction.atomic
def delete_account(*, user: User, by: User) -> Deletion:
    """Delete ``user``'s account, by themselves: the legal records stay (submitted applications,
    their receipts, reviews, votes, decisions, the audit log), everything else is removed or
    anonymised (docs/privacy.md). Refused while they hold a staff or administrator role or lead
    an application in progress."""
    _require_self(user=user, by=by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise PrivacyRefused("privacy.already_deleted")
    check = check_deletion(user)
    if check.refusals:
        code, params = check.refusals[0]
        raise PrivacyRefused(code, params)
    old_email, language = user.email, user.preferred_language

    # First the name and address: the audit entries written from here on show the placeholder.
    _anonymise_user(user)
    _delete_drafts(user, check.drafts_deleted)
    _leave_teams(user, old_email)
    for purpose in ConsentPurpose.values:
        if has_consent(user.pk, purpose):
            record_consent(user=user, purpose=purpose, granted=False, source="account deleted")
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    roles = RoleGrant.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _anonymise_profile(user)
    ExpertiseProfile.objects.filter(user=user).delete()
    Expert.objects.filter(user=user).update(email=placeholder_email(user))
    _matchmaking(user)
    registrations = _events(user)
    record(
        actor=user,
        action="privacy.account_deleted",
        obj=user,
        data={
            "user_id": user.pk,
            "drafts_deleted": check.drafts_deleted,
            "applications_kept": check.applications_kept,
            "tokens_revoked": tokens,
            "roles_revoked": roles,
            "registrations_cancelled": registrations,
        },
    )
    return Deletion(
        old_email=old_email,
        language=language,
        drafts_deleted=check.drafts_deleted,
        applications_kept=check.applications_kept,
    )
