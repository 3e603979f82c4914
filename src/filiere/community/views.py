"""Pages of the community: thin adapters over selectors, forms and services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import DirectoryFilterForm, OrganisationFilterForm, ProfileForm
from .permissions import can_edit_person


def _page(request, queryset):
    # get_page() turns page=abc into the first page and page=999 into the last one.
    paginator = Paginator(queryset, settings.FILIERE_DIRECTORY_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def directory(request):
    # permission: public; lists only the profiles the viewer may see (permissions.visibility_q)
    form = DirectoryFilterForm(request.GET or None)
    page = _page(request, selectors.search_people(request.user, form.filters()))
    template = "community/directory.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, {"form": form, "page": page})


def person_detail(request, slug: str):
    # permission: public for public profiles, signed in for members-only ones, owner or staff
    # for private ones; 404 otherwise, the same as for a profile that does not exist
    person = selectors.get_person_for_viewer(request.user, slug)
    return render(
        request,
        "community/person_detail.html",
        {"person": person, "can_edit": can_edit_person(request.user, person)},
    )


def organisations(request):
    # permission: public (organisations are public; members are not listed here)
    form = OrganisationFilterForm(request.GET or None)
    page = _page(request, selectors.search_organisations(form.filters()))
    template = "community/organisations.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, {"form": form, "page": page})


def organisation_detail(request, slug: str):
    # permission: public; its members are shown only when the viewer may see their profile
    organisation = selectors.get_organisation_for_viewer(request.user, slug)
    return render(request, "community/organisation_detail.html", {"organisation": organisation})


def territories(request):
    # permission: public
    return render(
        request,
        "community/territories.html",
        {
            "territories": selectors.cluster_territories(),
            "partners": selectors.partner_territories(),
        },
    )


@login_required
def my_profile(request):
    # permission: signed in; edits only the signed-in user's own profile
    person = selectors.person_of_user(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            person = services.save_own_profile(user=request.user, changes=form.changes())
            messages.success(request, _("Your profile has been saved."))
            return redirect("community:my_profile")
        messages.error(request, _("Your profile was not saved: please correct the errors below."))
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(person, request.user))
    return render(request, "community/my_profile.html", {"form": form, "person": person})
