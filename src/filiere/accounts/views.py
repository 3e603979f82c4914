from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ApiTokenForm, GrantRoleForm, LanguageForm, RevokeRoleForm, RoleFilterForm
from .i18n import remember_language
from .models import ApiToken, RoleGrant
from .permissions import is_admin

if TYPE_CHECKING:
    from .types import AuthenticatedHttpRequest

#: A view that answers a signed-in person.
SignedInView = Callable[..., HttpResponseBase]


@login_required  # permission: signed in; shows only the user's own roles and tokens
def my_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"], read_only=form.read_only
        )
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        form = ApiTokenForm()
    grants = selectors.with_scope_labels(
        request.user.role_grants.filter(revoked_at__isnull=True).order_by("role")
    )
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(
        request,
        "accounts/my_account.html",
        {
            "form": form,
            "language_form": LanguageForm(initial={"language": request.user.preferred_language}),
            "grants": grants,
            "tokens": tokens,
            "new_key": new_key,
            "now": timezone.now(),
            "token_lifetime_days": settings.FILIERE_API_TOKEN_LIFETIME_DAYS,
        },
    )


@login_required  # permission: signed in, and the token must be the user's own (404 otherwise)
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:my_account")


@login_required  # permission: signed in; changes only the user's own preferred language
@require_POST
def set_language(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed languages."))
        return redirect("accounts:my_account")
    language = form.cleaned_data["language"]
    services.set_preferred_language(user=request.user, language=language)
    # The next page, and the message on it, are in the chosen language.
    with translation.override(language):
        messages.success(request, _("Your language is saved."))
        response = redirect(reverse("accounts:my_account"))
    return remember_language(response, language)


# --- Roles, for administrators ------------------------------------------------------------------


def admin_required(view: SignedInView) -> SignedInView:
    """Anonymous → sign-in page; signed in without the administrator role → 403. (The MFA
    middleware has already sent an administrator without a second factor to set one up.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@admin_required  # permission: administrators (global admin role, with a second factor)
def roles(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_role(
                user=data["email"],
                role=data["role"],
                by=request.user,
                reason=data["reason"],
                scope=data["scope"],
            )
        except services.InvalidRequest as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Role granted to %(person)s.") % {"person": data["email"]})
            return redirect("roles:list")
    filters = RoleFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    grants = selectors.active_grants(person=criteria.get("user", ""), role=criteria.get("role", ""))
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_scope_labels(page.object_list)
    return render(request, "accounts/roles.html", {"form": form, "filters": filters, "page": page})


@admin_required  # permission: administrators; GET confirms, POST revokes with a reason
def revoke_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=pk, revoked_at=None)
    form = RevokeRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_role(grant=grant, by=request.user, reason=form.cleaned_data["reason"])
        except services.InvalidRequest as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Role revoked."))
            return redirect("roles:list")
    (grant,) = selectors.with_scope_labels([grant])
    return render(request, "accounts/revoke_role.html", {"grant": grant, "form": form})
