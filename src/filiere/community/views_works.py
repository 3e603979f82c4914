"""The member's own works ("my works"): list, add, edit, delete — at most ``MAX_WORKS``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services_privacy
from .forms_privacy import WorkForm
from .models import Work

if TYPE_CHECKING:
    from filiere.accounts.types import AuthenticatedHttpRequest


def _own_work(request: AuthenticatedHttpRequest, pk: int) -> Work:
    # The same 404 for a work that does not exist and for someone else's.
    work = Work.objects.select_related("person").filter(pk=pk, person__user=request.user).first()
    if work is None:
        raise Http404
    return work


@login_required
def my_works(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; lists and adds to the signed-in user's own works only
    person = selectors.person_of_user(request.user)
    form = WorkForm(request.POST or None)
    if request.method == "POST":
        if person is None:
            messages.error(request, _("Create your profile first."))
            return redirect("community:my_profile")
        if form.is_valid():
            try:
                services_privacy.add_work(person=person, by=request.user, data=form.data_out())
            except services_privacy.WorkRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The work is added to your profile."))
                return redirect("community:my_works")
    works = list(person.works.all()) if person else []
    return render(
        request,
        "community/my_works.html",
        {
            "person": person,
            "works": works,
            "form": form,
            "can_add": person is not None and len(works) < services_privacy.MAX_WORKS,
            "limit": services_privacy.MAX_WORKS,
        },
    )


@login_required
def my_work_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in, and the work must be on the user's own profile (404 otherwise)
    work = _own_work(request, pk)
    form = WorkForm(request.POST or None, initial=WorkForm.initial_for(work))
    if request.method == "POST" and form.is_valid():
        services_privacy.update_work(work=work, by=request.user, data=form.data_out())
        messages.success(request, _("The work is saved."))
        return redirect("community:my_works")
    return render(request, "community/my_work_edit.html", {"work": work, "form": form})


@login_required
@require_POST
def my_work_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in, and the work must be on the user's own profile (404 otherwise)
    work = _own_work(request, pk)
    services_privacy.delete_work(work=work, by=request.user)
    messages.success(request, _("The work is removed from your profile."))
    return redirect("community:my_works")
