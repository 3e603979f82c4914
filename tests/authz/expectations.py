"""The authorization matrix, declared: for every route, what each role gets.

tests/test_authorization_matrix.py enumerates every URL pattern (from the resolver) and every API
operation (from the OpenAPI schema) and fails when one has no entry here, or when an entry names
a route that no longer exists. Add your routes to your app's section:

- pages: key = the URL name with its namespace (``"community:person"``); unnamed patterns are
  keyed by their route string.
- API: key = ``"METHOD /api/v1/path/{param}"`` as the OpenAPI document writes it.

Sample kwargs for parametrised routes are functions of the `World` (see rules.py), so they can
create the object the route needs (``lambda w: {"pk": w.once("org", OrganisationFactory).pk}``).
Experts, staff, committee members and administrators hold a TOTP authenticator, so the MFA
middleware lets them through; signed-in API callers use a personal token
(``Authorization: Bearer``).
"""

from .awards import AWARDS_API, AWARDS_PAGES
from .awards_payments import AWARDS_PAYMENTS_API, AWARDS_PAYMENTS_PAGES
from .calls import CALLS_API, CALLS_PAGES
from .calls_applicant import APPLICANT_API, APPLICANT_PAGES
from .calls_audit import AUDIT_PAGES
from .calls_design import DESIGN_API, DESIGN_PAGES
from .calls_instruction import INSTRUCTION_API, INSTRUCTION_PAGES
from .committee_decisions import COMMITTEE_DECISIONS_API, COMMITTEE_DECISIONS_PAGES
from .committee_sessions import SESSIONS_API, SESSIONS_PAGES
from .committee_simulator import SIMULATOR_API, SIMULATOR_PAGES
from .community import COMMUNITY_API, COMMUNITY_PAGES
from .events import EVENTS_API, EVENTS_PAGES
from .matchmaking_board import BOARD_API, BOARD_PAGES
from .matchmaking_contacts import CONTACTS_API, CONTACTS_PAGES
from .observatory import OBSERVATORY_API, OBSERVATORY_PAGES
from .opendata import OPENDATA_API, OPENDATA_PAGES
from .ops import OPS_PAGES
from .privacy import PRIVACY_API, PRIVACY_PAGES
from .review import REVIEW_API, REVIEW_PAGES
from .rules import (
    ADMIN_INDEX,
    ADMIN_LOGIN,
    CHANGE_PASSWORD,
    FORBIDDEN,
    HOME,
    LOGIN,
    NOT_FOUND,
    OK,
    REAUTHENTICATE,
    REDIRECT,
    UNAUTHORIZED,
    Route,
    expect,
)
from .showcase import SHOWCASE_API, SHOWCASE_PAGES

# --- Common rules -------------------------------------------------------------------------------
PUBLIC = expect(everyone=OK)
SIGNED_IN = expect(anonymous=LOGIN, others=OK)
# Sign-in and sign-up forms: signed-in people are sent on to the home page.
GUESTS = expect(anonymous=OK, others=HOME)
STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
ADMIN_ONLY = expect(anonymous=LOGIN, admin=OK, others=FORBIDDEN)
# allauth asks for the password again before any change to the second factors.
SIGNED_IN_RECONFIRMED = expect(anonymous=LOGIN, others=REAUTHENTICATE)
API_SIGNED_IN = expect(anonymous=UNAUTHORIZED, others=OK)
# Roles that are not required to use a second factor (and, in the matrix, have none).
WITHOUT_MFA = ("member", "applicant")
ONLY_WITH_MFA_RECONFIRMED = expect(
    anonymous=LOGIN, **dict.fromkeys(WITHOUT_MFA, NOT_FOUND), others=REAUTHENTICATE
)


def _stranger_token(world):
    from filiere.accounts.services import create_api_token

    return world.once("token", lambda: create_api_token(user=world.stranger, name="theirs")[0])


# --- ui -----------------------------------------------------------------------------------------
UI = {
    "ui:home": Route(PUBLIC),
}

# --- accounts (our views) -----------------------------------------------------------------------
ACCOUNTS = {
    "accounts:my_account": Route(SIGNED_IN),
    "accounts:set_language": Route(
        expect(anonymous=LOGIN, others=REDIRECT),
        method="POST",
        data={"language": "fr"},
        note="saves the user's own language, then back to My account",
    ),
    "accounts:revoke_token": Route(
        expect(anonymous=LOGIN, others=NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"pk": _stranger_token(w).pk},
        note="someone else's token: 404, its existence is not revealed",
    ),
}

# --- accounts: the administrators' roles page --------------------------------------------------
ROLES_PAGES = {
    "roles:list": Route(ADMIN_ONLY),
    "roles:revoke": [
        Route(ADMIN_ONLY, kwargs=lambda w: {"pk": _stranger_grant(w).pk}, note="confirmation"),
        Route(
            expect(anonymous=LOGIN, admin=OK, others=FORBIDDEN),
            method="POST",
            kwargs=lambda w: {"pk": _stranger_grant(w).pk},
            note="without a reason: the form again, nothing revoked",
        ),
    ],
}


def _stranger_grant(world):
    from filiere.accounts.services import grant_role

    return world.once(
        "grant", lambda: grant_role(user=world.stranger, role="applicant", by=None, reason="matrix")
    )


# --- allauth ------------------------------------------------------------------------------------
ALLAUTH = {
    "account_login": Route(GUESTS),
    "account_signup": Route(GUESTS),
    "account_logout": Route(expect(anonymous=REDIRECT, others=OK), note="GET asks to confirm"),
    "account_inactive": Route(PUBLIC),
    "account_reauthenticate": Route(SIGNED_IN),
    "account_email": Route(SIGNED_IN),
    "account_email_verification_sent": Route(PUBLIC),
    "account_confirm_email": Route(PUBLIC, kwargs={"key": "not-a-key"}, note="says: invalid"),
    "account_change_password": Route(SIGNED_IN),
    "account_set_password": Route(
        expect(anonymous=LOGIN, others=CHANGE_PASSWORD), note="everyone here has a password"
    ),
    "account_reset_password": Route(PUBLIC),
    "account_reset_password_done": Route(PUBLIC),
    "account_reset_password_from_key": Route(
        PUBLIC, kwargs={"uidb36": "zz", "key": "not-a-key"}, note="says: invalid link"
    ),
    "account_reset_password_from_key_done": Route(PUBLIC),
    "account_confirm_login_code": Route(
        expect(anonymous=LOGIN, others=HOME), note="sign-in by e-mailed code is off"
    ),
    "mfa_index": Route(SIGNED_IN),
    "mfa_authenticate": Route(
        expect(anonymous=LOGIN, others=HOME), note="only during a sign-in that awaits a code"
    ),
    "mfa_reauthenticate": Route(
        expect(anonymous=LOGIN, **dict.fromkeys(WITHOUT_MFA, REAUTHENTICATE), others=OK),
        note="without a second factor, the password is asked instead",
    ),
    "mfa_activate_totp": Route(SIGNED_IN_RECONFIRMED),
    # Pages about a second factor the person does not have: 404.
    "mfa_deactivate_totp": Route(ONLY_WITH_MFA_RECONFIRMED),
    "mfa_view_recovery_codes": Route(ONLY_WITH_MFA_RECONFIRMED),
    "mfa_generate_recovery_codes": Route(SIGNED_IN_RECONFIRMED),
    "mfa_download_recovery_codes": Route(ONLY_WITH_MFA_RECONFIRMED),
}

# --- i18n, static and the API's own pages -------------------------------------------------------
FRAMEWORK = {
    "set_language": Route(
        expect(everyone=REDIRECT), method="POST", data={"language": "en", "next": "/"}
    ),
    r"^static/(?P<path>.*)$": Route(
        expect(everyone=NOT_FOUND),
        kwargs={"path": "ui/filiere.css"},
        optional=True,
        note="only in the URLconf with DEBUG; tests run without DEBUG (WhiteNoise serves)",
    ),
    "api-v1:openapi-json": Route(PUBLIC),
    "api-v1:openapi-view": Route(PUBLIC),
    "api-v1:api-root": Route(expect(everyone=NOT_FOUND)),
}

# --- Django admin -------------------------------------------------------------------------------
# By prefix: only administrators get in; everyone else is sent to the admin's sign-in, which
# sends anonymous visitors on to allauth's (second factor included) and refuses signed-in people
# who are not administrators. See `admin_route` for the rule applied to every admin URL.
ADMIN_OUT = expect(admin=OK, others=ADMIN_LOGIN)
ADMIN = {
    "admin:login": Route(
        expect(anonymous=LOGIN, admin=ADMIN_INDEX, others=FORBIDDEN),
        note="allauth's secure_admin_login",
    ),
    "admin:logout": Route(expect(admin=OK, others=ADMIN_INDEX), method="POST"),
    "admin:view_on_site": Route(
        expect(admin=NOT_FOUND, others=ADMIN_LOGIN),
        kwargs=lambda w: _view_on_site(w),
        note="users have no public page",
    ),
    "admin:autocomplete": Route(expect(admin=FORBIDDEN, others=ADMIN_LOGIN)),
    "admin:app_list": Route(ADMIN_OUT, kwargs={"app_label": "accounts"}),
    "admin/(?P<url>.*)$": Route(
        expect(admin=NOT_FOUND, others=ADMIN_LOGIN), kwargs={"url": "no/such/page/"}
    ),
    # Refused even to administrators: the audit log is append-only, tokens are made by their
    # owners only.
    "admin:audit_auditentry_add": Route(expect(admin=FORBIDDEN, others=ADMIN_LOGIN)),
    "admin:audit_auditentry_delete": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN),
        kwargs=lambda w: _first_pk(w, "audit.auditentry"),
    ),
    "admin:accounts_apitoken_add": Route(expect(admin=FORBIDDEN, others=ADMIN_LOGIN)),
    # Consents are an append-only log, written by each member's own choices.
    "admin:accounts_consent_add": Route(expect(admin=FORBIDDEN, others=ADMIN_LOGIN)),
    "admin:accounts_consent_delete": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN),
        kwargs={"object_id": 1},
        note="refused before any lookup",
    ),
    # Background task results are written by the worker only (django-tasks' read-only admin).
    "admin:django_tasks_database_dbtaskresult_add": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
    ),
    "admin:django_tasks_database_dbtaskresult_delete": Route(
        expect(admin=FORBIDDEN, others=ADMIN_LOGIN),
        kwargs=lambda w: _first_pk(w, "django_tasks_database.dbtaskresult"),
    ),
}


def _first_pk(world, app_model: str):
    return world.once(f"admin-object:{app_model}", lambda: _sample_object_id(app_model))


def _sample_object_id(key: str) -> dict:
    from django.apps import apps

    model = apps.get_model(key)
    obj = model._default_manager.order_by("pk").first()
    return {"object_id": obj.pk if obj is not None else 0}


def _view_on_site(world):
    from django.contrib.contenttypes.models import ContentType

    user = world.users["member"]
    return {"content_type_id": ContentType.objects.get_for_model(user).pk, "object_id": user.pk}


def admin_route(name: str, pattern: str) -> Route | None:
    """The prefix rule for Django admin URLs not declared in ADMIN (None: not an admin URL).

    Model pages (``admin:<app>_<model>_<view>``): administrators get the page (200) — for pages
    about one object, on the first object of that model, or the admin's own "does not exist"
    redirect to its index when there is none; everyone else is sent to the admin sign-in.
    """
    if not (name.startswith("admin:") or pattern.startswith("admin/")):
        return None
    if name in ADMIN or pattern in ADMIN:
        return ADMIN[name if name in ADMIN else pattern]
    if "<path:object_id>" in pattern or "<id>" in pattern:
        app_label, model_name = pattern.split("/")[1:3]
        key = f"{app_label}.{model_name}"
        param = "id" if "<id>" in pattern else "object_id"

        def kwargs(world, key=key, param=param):
            return {param: _first_pk(world, key)["object_id"]}

        exists = expect(admin=OK, others=ADMIN_LOGIN)
        missing = expect(admin=ADMIN_INDEX, others=ADMIN_LOGIN)  # "does not exist" redirect
        if pattern.endswith("<path:object_id>/"):
            # The bare object URL redirects to its change page.
            exists = missing = expect(admin=REDIRECT, others=ADMIN_LOGIN)

        def rule(world, kwargs=kwargs, exists=exists, missing=missing):
            return exists if next(iter(kwargs(world).values())) else missing

        return Route(rule, kwargs=kwargs, note="admin page about one object")
    return Route(ADMIN_OUT, note="admin page")


# --- API operations (from the OpenAPI schema) ---------------------------------------------------
API_ME = {
    "GET /api/v1/me": Route(API_SIGNED_IN),
    "GET /api/v1/me/tokens": Route(API_SIGNED_IN),
    "DELETE /api/v1/me/tokens/{token_id}": Route(
        expect(anonymous=UNAUTHORIZED, others=NOT_FOUND),
        kwargs=lambda w: {"token_id": _stranger_token(w).pk},
        note="someone else's token",
    ),
}

# --- Everything together ------------------------------------------------------------------------
PAGES: dict[str, Route | list[Route]] = {
    **UI,
    **ACCOUNTS,
    **ROLES_PAGES,
    **ALLAUTH,
    **FRAMEWORK,
    **ADMIN,
    **COMMUNITY_PAGES,
    **INSTRUCTION_PAGES,
    **CALLS_PAGES,
    **APPLICANT_PAGES,
    **DESIGN_PAGES,
    **AUDIT_PAGES,
    **REVIEW_PAGES,
    **SIMULATOR_PAGES,
    **COMMITTEE_DECISIONS_PAGES,
    **SESSIONS_PAGES,
    **BOARD_PAGES,
    **EVENTS_PAGES,
    **CONTACTS_PAGES,
    **PRIVACY_PAGES,
    **OPENDATA_PAGES,
    **OPS_PAGES,
    **OBSERVATORY_PAGES,
    **AWARDS_PAGES,
    **AWARDS_PAYMENTS_PAGES,
    **SHOWCASE_PAGES,
}
API: dict[str, Route | list[Route]] = {
    **API_ME,
    **COMMUNITY_API,
    **CALLS_API,
    **APPLICANT_API,
    **INSTRUCTION_API,
    **DESIGN_API,
    **REVIEW_API,
    **SIMULATOR_API,
    **COMMITTEE_DECISIONS_API,
    **SESSIONS_API,
    **BOARD_API,
    **EVENTS_API,
    **CONTACTS_API,
    **PRIVACY_API,
    **OPENDATA_API,
    **OBSERVATORY_API,
    **AWARDS_API,
    **AWARDS_PAYMENTS_API,
    **SHOWCASE_API,
}

__all__ = ["API", "PAGES", "STAFF_ONLY", "admin_route"]
