"""Writes of the applying side: create a draft, edit it step by step (optimistic concurrency),
and build its team.

Every edit runs in a transaction that locks the application row (``select_for_update``),
checks that the editor may still edit (lead or team member with edit rights, and the engine's
``is_editable_by_applicant``: a draft until the call closes, an incomplete file until its
correction date), and increments ``Application.version``.

Conflicts: a form carries the version it was rendered from and a fingerprint of the section's
values at that time. When the version moved on *and* the section itself changed since, the save
is refused with :class:`StaleEdit`, which carries both versions so that the page can show the
rejected text next to the saved one: nothing is silently lost. When someone else edited another
section only, the save goes through.

Draft edits are not audited (they are not decisions, and autosave would flood the log);
creation, team changes, documents, submission and withdrawal are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from filiere import errors
from filiere.accounts.models import User
from filiere.audit.services import record

from .. import events
from ..models import Answer, Application, BudgetLine, Call, FinancingSource, Question, TeamMember
from ..permissions import can_edit_application, can_manage_team, is_open_for_edits
from ..selectors_applicant import organisations_for_applicant

if TYPE_CHECKING:
    from filiere.community.models import Organisation


class ApplyError(errors.ServiceError):
    """A refused write of the applying side (``apply.*``, said by ``calls.phrases``): the
    application's state or the call's dates refuse it (409). :meth:`of` picks the kind."""

    @classmethod
    def of(cls, code: str, params: Mapping[str, Any] | None = None) -> ApplyError:
        """The refusal ``code`` as its kind: who acts (403) or the state of things (409)."""
        kind = ApplyNotAllowed if code in NOT_ALLOWED_CODES else ApplyError
        return kind(code, params)


class ApplyNotAllowed(ApplyError, errors.NotAllowed):
    """The acting user may not do this to the application (not the lead, not an editor): 403."""


#: The ``apply.*`` codes that say who acts, whatever the application's state.
NOT_ALLOWED_CODES = frozenset(
    {
        "apply.not_your_organisation",
        "apply.not_an_editor",
        "apply.only_lead_invites",
        "apply.only_lead_submits",
        "apply.only_lead_resubmits",
        "apply.only_lead_withdraws",
    }
)


class StaleEdit(ApplyError):
    """Someone saved the same section since this form was rendered."""

    def __init__(
        self, *, current_version: int, current: dict[str, Any], submitted: dict[str, Any]
    ) -> None:
        super().__init__("apply.stale_version", {"current_version": current_version})
        self.current_version = current_version
        self.current = current  # the section as saved now
        self.submitted = submitted  # the section as this form would have saved it


# --- Creating -----------------------------------------------------------------------------------

REFERENCE_DIGITS = 4
REFERENCE_ATTEMPTS = 5


def _next_reference(call: Call) -> str:
    prefix = f"{call.reference_prefix}-"
    last = (
        Application.objects.filter(call=call, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = (
        int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    )
    return f"{prefix}{number:0{REFERENCE_DIGITS}d}"


def create_application(
    *, call: Call, organisation: Organisation, by: User, title: str, now: datetime | None = None
) -> Application:
    """A new draft with the next free reference (``EI2009-0042``).

    The reference is unique in the database; two drafts created at once compute the same number,
    one insert fails and is retried with the next number (within a savepoint).
    """
    now = now or timezone.now()
    if call.phase(now) != Call.Phase.OPEN or not call.published:
        raise ApplyError("apply.call_not_open")
    if not organisations_for_applicant(by).filter(pk=organisation.pk).exists():
        raise ApplyNotAllowed("apply.not_your_organisation")
    title = title.strip()
    if not title:
        raise ApplyError("apply.title_missing")
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    call=call,
                    organisation=organisation,
                    lead=by,
                    title=title[:200],
                    reference=_next_reference(call),
                )
                record(
                    actor=by,
                    action="calls.application.created",
                    obj=application,
                    data={"call": call.slug, "organisation": organisation.pk},
                )
                return application
        except IntegrityError:
            continue
    raise ApplyError("apply.reference_busy")


# --- Editing ------------------------------------------------------------------------------------


def lock_for_edit(
    *, application: Application, by: User, now: datetime | None = None
) -> Application:
    """Inside a transaction: the locked row, if ``by`` may edit it now; ApplyError otherwise."""
    locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    now = now or timezone.now()
    if not is_open_for_edits(locked, now):
        raise ApplyError("apply.read_only")
    if not can_edit_application(by, locked, now):
        raise ApplyNotAllowed("apply.not_an_editor")
    return locked


def fingerprint(values: dict) -> str:
    return hashlib.sha256(canonical_json(values).encode()).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _bump(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    application.refresh_from_db(fields=["version", "updated_at"])


@dataclass(frozen=True)
class _Edit:
    locked: Application  # the application's row, locked until the transaction ends
    changed: bool  # False: the section already holds what was submitted, nothing to write


@contextmanager
def _locked_for_edit(
    *,
    application: Application,
    by: User,
    current: Callable[[Application], dict],
    submitted: dict,
    expected_version: int | None,
    base_fingerprint: str,
    refusal: ApplyError | None = None,
) -> Iterator[_Edit]:
    """One section's save, in one transaction: lock the row, check that ``by`` may edit it,
    raise ``refusal`` (an error in the input, told only to those who may edit), then compare
    the section as saved (``current(locked)``) with ``submitted``. The body writes when
    ``edit.changed``; the version moves on after it.

    StaleEdit when the version moved on since the form was rendered *and* the section itself
    changed since (``base_fingerprint`` is its fingerprint then): saving would overwrite
    someone. A save over another section's edit goes through.
    """
    with transaction.atomic():
        locked = lock_for_edit(application=application, by=by)
        if refusal is not None:
            raise refusal
        saved = current(locked)
        changed = saved != submitted
        stale = expected_version is not None and int(expected_version) != locked.version
        if changed and stale and base_fingerprint != fingerprint(saved):
            raise StaleEdit(current_version=locked.version, current=saved, submitted=submitted)
        yield _Edit(locked=locked, changed=changed)
        if changed:
            _bump(locked)


def project_values(application: Application) -> dict:
    return {
        "title": application.title,
        "summary": application.summary,
        "genre": application.genre_id,
        "stage": application.stage_id,
    }


def save_project(
    *,
    application: Application,
    by: User,
    title: str,
    summary: str,
    genre_id: int | None,
    stage_id: int | None,
    expected_version: int | None,
    base_fingerprint: str = "",
) -> Application:
    submitted = {"title": title.strip(), "summary": summary, "genre": genre_id, "stage": stage_id}
    with _locked_for_edit(
        application=application,
        by=by,
        current=project_values,
        submitted=submitted,
        expected_version=expected_version,
        base_fingerprint=base_fingerprint,
        refusal=None if submitted["title"] else ApplyError("apply.title_missing"),
    ) as edit:
        if edit.changed:
            Application.objects.filter(pk=edit.locked.pk).update(
                title=submitted["title"],
                summary=summary,
                genre_id=genre_id,
                stage_id=stage_id,
            )
    edit.locked.refresh_from_db()
    return edit.locked


def answer_values(application: Application) -> dict:
    codes = dict(application.call.questions.values_list("pk", "code"))
    return {
        codes[question_id]: value
        for question_id, value in application.answers.values_list("question_id", "value")
        if question_id in codes and value not in (None, "", [])
    }


def save_answers(
    *,
    application: Application,
    by: User,
    answers: dict[str, Any],
    expected_version: int | None,
    base_fingerprint: str = "",
) -> Application:
    """Replace the answers to the call's questions (code → JSON value; blank removes)."""
    questions = {q.code: q for q in Question.objects.filter(call_id=application.call_id)}
    submitted = {
        code: value
        for code, value in answers.items()
        if code in questions and value not in (None, "", [])
    }
    with _locked_for_edit(
        application=application,
        by=by,
        current=answer_values,
        submitted=submitted,
        expected_version=expected_version,
        base_fingerprint=base_fingerprint,
    ) as edit:
        if edit.changed:
            Answer.objects.filter(application=edit.locked).exclude(
                question__code__in=list(submitted)
            ).delete()
            for code, value in submitted.items():
                Answer.objects.update_or_create(
                    application=edit.locked, question=questions[code], defaults={"value": value}
                )
    return edit.locked


def _amount(value: Decimal | int | str) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def budget_rows(application: Application, amount: Callable[[Any], Any]) -> tuple[list, list]:
    """The budget lines and the financing sources as JSON rows, each amount written by ``amount``
    (the version fingerprint and the submitted content each keep their own way of writing it)."""
    lines = [
        {
            "chapter": line.chapter,
            "label": line.label,
            "amount": amount(line.amount),
            "regional_amount": amount(line.regional_amount),
        }
        for line in application.budget_lines.all()
    ]
    financing = [
        {
            "name": source.name,
            "kind": source.kind,
            "amount": amount(source.amount),
            "secured": source.secured,
        }
        for source in application.financing.all()
    ]
    return lines, financing


def budget_values(application: Application) -> dict:
    lines, financing = budget_rows(application, _amount)
    return {
        "requested_amount": None
        if application.requested_amount is None
        else _amount(application.requested_amount),
        "lines": lines,
        "financing": financing,
    }


def save_budget(
    *,
    application: Application,
    by: User,
    requested_amount: Decimal | None,
    lines: list[dict],
    financing: list[dict],
    expected_version: int | None,
    base_fingerprint: str = "",
) -> Application:
    """Replace the budget lines and the financing plan, and set the requested amount.

    ``lines``: dicts with chapter, label, amount, regional_amount (Decimal); ``financing``:
    name, kind, amount, secured. Checks (balance, ceiling) are the engine's, shown on the page
    and enforced at submission: a draft may be unbalanced.
    """
    rows: list[dict[str, Any]] = [
        {
            "chapter": line["chapter"],
            "label": line["label"],
            "amount": _amount(line["amount"]),
            "regional_amount": _amount(line.get("regional_amount") or 0),
        }
        for line in lines
    ]
    sources: list[dict[str, Any]] = [
        {
            "name": source["name"],
            "kind": source["kind"],
            "amount": _amount(source["amount"]),
            "secured": bool(source.get("secured")),
        }
        for source in financing
    ]
    for line in rows:
        if Decimal(line["regional_amount"]) > Decimal(line["amount"]):
            raise ApplyError("apply.regional_above_line", {"label": line["label"]})
    submitted = {
        "requested_amount": None if requested_amount is None else _amount(requested_amount),
        "lines": rows,
        "financing": sources,
    }
    with _locked_for_edit(
        application=application,
        by=by,
        current=budget_values,
        submitted=submitted,
        expected_version=expected_version,
        base_fingerprint=base_fingerprint,
    ) as edit:
        if edit.changed:
            locked = edit.locked
            locked.budget_lines.all().delete()
            locked.financing.all().delete()
            BudgetLine.objects.bulk_create(
                BudgetLine(application=locked, position=position, **line)
                for position, line in enumerate(rows)
            )
            FinancingSource.objects.bulk_create(
                FinancingSource(application=locked, position=position, **source)
                for position, source in enumerate(sources)
            )
            Application.objects.filter(pk=locked.pk).update(requested_amount=requested_amount)
    edit.locked.refresh_from_db()
    return edit.locked


# --- Team ---------------------------------------------------------------------------------------


def invite_team_member(
    *,
    application: Application,
    by: User,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    can_edit: bool = True,
    invitee: User | None = None,
) -> TeamMember:
    """Invite a co-applicant or partner; the invitation e-mail leaves after the commit.

    `invitee` is an account picked from the directory: the invitation goes to its address and is
    linked to it at once (still pending until accepted), so that the team page can name the
    person without showing the lead an address the directory keeps private.
    """
    email = (invitee.email if invitee is not None else email).strip()
    shown = team_member_name(invitee) if invitee is not None else email
    if role not in TeamMember.Role.values:
        raise ApplyError("apply.unknown_role")
    with transaction.atomic():
        locked = lock_for_edit(application=application, by=by)
        if not can_manage_team(by, locked):
            raise ApplyNotAllowed("apply.only_lead_invites")
        if email.lower() == locked.lead.email.lower():
            raise ApplyError("apply.lead_already_in_team")
        if TeamMember.objects.filter(application=locked, email__iexact=email).exists():
            raise ApplyError("apply.already_invited", {"email": shown})
        try:
            with transaction.atomic():
                member = TeamMember.objects.create(
                    application=locked,
                    user=invitee,
                    email=email,
                    role=role,
                    organisation=organisation,
                    can_edit=can_edit,
                )
        except IntegrityError:
            raise ApplyError("apply.already_invited", {"email": shown}) from None
        record(
            actor=by,
            action="calls.team.invited",
            obj=locked,
            data={"email": email, "role": role, "can_edit": can_edit},
        )
        events.publish(events.TeamMemberInvited(member_id=member.pk))
    return member


def team_member_name(user: User) -> str:
    """How a team member is named to the rest of the team: their directory name, never their
    address (an account without a profile is named by its account name, else "a member")."""
    person = getattr(user, "person", None)
    if person is not None:
        return str(person)
    return user.get_full_name() or gettext("a member of the platform")


def member_shown_name(member: TeamMember) -> str:
    """How the team's pages and messages name an invitation: the person's name when it is linked
    to an account (picked from the directory, or accepted), else the address the lead typed."""
    if member.user is not None:
        return team_member_name(member.user)
    return member.email


def accept_invitation(*, token: str, user: User) -> TeamMember:
    """Link the signed-in user to the invitation sent to one of their verified addresses."""
    with transaction.atomic():
        member = (
            TeamMember.objects.select_for_update()
            .select_related("application")
            .filter(invitation_token=token)
            .first()
        )
        if member is None:
            raise ApplyError("apply.invitation_unknown")
        if member.accepted_at is not None:
            if member.user_id == user.pk:
                return member
            raise ApplyError("apply.invitation_used")
        addresses = {user.email.lower()} | {
            address.lower()
            for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        }
        if member.email.lower() not in addresses:
            raise ApplyError("apply.invitation_other_address", {"email": member.email})
        if member.application.lead_id == user.pk:
            raise ApplyError("apply.lead_already_in_team")
        member.user = user
        member.accepted_at = timezone.now()
        member.save(update_fields=["user", "accepted_at"])
        record(
            actor=user,
            action="calls.team.joined",
            obj=member.application,
            data={"role": member.role},
        )
    return member


def remove_team_member(*, member: TeamMember, by: User) -> None:
    with transaction.atomic():
        locked = lock_for_edit(application=member.application, by=by)
        if not can_manage_team(by, locked):
            raise ApplyNotAllowed("apply.only_lead_invites")
        record(
            actor=by,
            action="calls.team.removed",
            obj=locked,
            data={"email": member.email, "role": member.role},
        )
        member.delete()
