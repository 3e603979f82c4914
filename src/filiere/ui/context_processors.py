from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_from_path


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "platform_name": settings.FILIERE_PLATFORM_NAME,
        "language_neutral_path": _language_neutral_path(request),
        "is_staff_member": _is_staff_member(request),
        "is_platform_admin": _is_platform_admin(request),
        "instructs_a_call": _instructs_a_call(request),
        "manages_a_pool": _holds(request, "staff", ("", "fund")),
        "is_expert": _holds(request, "expert", None),
        "sits_on_committee": _holds(request, "committee", None),
    }


def _is_staff_member(request: HttpRequest) -> bool:
    """Whether to show the staff menu (the pages themselves check permissions again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user.has_role("staff") or user.has_role("admin")


def _instructs_a_call(request: HttpRequest) -> bool:
    """Whether to show the link to the calls one instructs to the holder of a staff grant scoped
    to a call (``RoleGrant.scope_type == "call"``); the page checks the grants again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(role == "staff" and scope == "call" for role, scope, _id in user.role_set())


def _holds(request: HttpRequest, role: str, scope_types: tuple[str, ...] | None) -> bool:
    """Whether to show a menu entry to the holder of ``role`` (for these scope types, or any):
    the pools of experts (staff of every fund or of one), an expert's own pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(
        granted == role and (scope_types is None or scope in scope_types)
        for granted, scope, _id in user.role_set()
    )


def _is_platform_admin(request: HttpRequest) -> bool:
    """Whether to show the link to the roles page (which checks the role again)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.has_role("admin"))


def _language_neutral_path(request: HttpRequest) -> str:
    """The current page's path without its language prefix (/en/..., /nl/...), for the language
    switcher: Django's set_language view (outside the i18n patterns, so in the default language)
    can only translate a path of the default language into another one."""
    path = request.get_full_path()
    language = get_language_from_path(request.path_info)
    if language and language != settings.LANGUAGE_CODE:
        prefix = f"/{language}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path
