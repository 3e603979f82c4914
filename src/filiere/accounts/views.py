from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm
from .models import ApiToken


@login_required  # permission: signed in; shows only the user's own roles and tokens
def my_account(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.create_api_token(
            user=request.user, name=form.cleaned_data["name"]
        )
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        form = ApiTokenForm()
    grants = request.user.role_grants.filter(revoked_at__isnull=True).order_by("role")
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(
        request,
        "accounts/my_account.html",
        {"form": form, "grants": grants, "tokens": tokens, "new_key": new_key},
    )


@login_required  # permission: signed in, and the token must be the user's own (404 otherwise)
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:my_account")
