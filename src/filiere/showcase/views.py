"""Pages of the showcase.

Public (anyone, signed in or not): the gallery, a project's page, its published images. The
team (lead and accepted members allowed to edit, of a funded application): its page, images,
submission, withdrawal, and the "funded by" mention to copy. The staff of the call (not on the
file): the call's entries, one entry's draft to approve or send back.

Thin adapters: a gatekeeper (``access``), a form, one service or selector.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Application, Call
from filiere.calls.permissions import call_staff_required
from filiere.errors import ServiceError
from filiere.ui.page_cache import public_page
from filiere.ui.pagination import page_nav

from . import selectors, services
from .access import (
    application_for_team,
    entry_for_staff,
    image_for_public,
    image_for_reader,
    published_entry,
)
from .forms import ApproveForm, ChangesForm, EntryForm, ImageForm, parse_links
from .funded_by import mention, mentions, platform_name
from .models import Entry, Image

PAGE_SIZE = 12

# --- public -------------------------------------------------------------------------------------


def _years(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) == 4]


# Cached for anonymous visitors: a published entry or image, an award's amount or status, a
# team's organisation, a genre's or territory's label each bump one of these families.
SHOWN_FROM = ("showcase", "opendata", "calls")


@public_page(*SHOWN_FROM, params=("q", "page", "genre", "territory", "year"))
def gallery(request: HttpRequest) -> HttpResponse:
    # permission: public; only published entries of funded projects (access.published_entries)
    choices = selectors.gallery_choices()
    genres = [g for g in request.GET.getlist("genre") if g in dict(choices.genres)]
    territories = [t for t in request.GET.getlist("territory") if t in dict(choices.territories)]
    years = [y for y in _years(request.GET.getlist("year")) if y in choices.years]
    words = request.GET.get("q", "")[:200]
    rows = selectors.gallery(words=words, genres=genres, years=years, territories=territories)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "nav": page_nav(request.GET, "page", page, _("Pages of the showcase")),
        "cards": [(entry, selectors.facts(entry.application)) for entry in page.object_list],
        "choices": choices,
        "words": words,
        "chosen": {"genre": genres, "territory": territories, "year": years},
    }
    return render(request, "showcase/gallery.html", context)


@public_page(*SHOWN_FROM)
def project(request: HttpRequest, slug: str) -> HttpResponse:
    # permission: public; a published entry of a funded project only (published_entry: 404)
    entry = published_entry(slug)
    application = entry.application
    facts = selectors.facts(application)
    context = {
        "entry": entry,
        "facts": facts,
        "team": selectors.team_organisations(application),
        "images": selectors.entry_images(entry, published=True),
        "funded_by": mention(facts.fund),
    }
    return render(request, "showcase/project.html", context)


def _serve(image: Image, cache: str) -> FileResponse:
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = cache
    return response


def image(request: HttpRequest, pk: int) -> HttpResponseBase:
    # permission: public; an image of the published version of a published entry, clean
    # (image_for_public: 404 otherwise)
    return _serve(image_for_public(pk), "public, max-age=300")


@login_required
def image_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    # permission: signed in; the entry's team or the staff of its call not on it, a clean image
    # (image_for_reader: 404 otherwise)
    return _serve(image_for_reader(request.user, pk), "private, no-store")


# --- the team -----------------------------------------------------------------------------------


def _entry(application: Application) -> Entry | None:
    return Entry.objects.filter(application=application).first()


def _edit_page(
    request: AuthenticatedHttpRequest,
    application: Application,
    *,
    form: EntryForm | None = None,
    image_form: ImageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    entry = _entry(application)
    facts = selectors.facts(application)
    page_url = request.build_absolute_uri(
        reverse("showcase:project", args=[entry.slug if entry else slugify(application.reference)])
    )
    context: dict[str, Any] = {
        "application": application,
        "entry": entry,
        "facts": facts,
        "team": selectors.team_organisations(application),
        "form": form or EntryForm.for_entry(entry),
        "image_form": image_form or ImageForm(),
        "images": selectors.entry_images(entry, published=False) if entry else [],
        "mentions": mentions(facts.fund, page_url),
        "platform": platform_name(),
    }
    return render(request, "showcase/edit.html", context, status=status)


@login_required
def edit(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # permission: signed in; the lead or an accepted member allowed to edit, of a funded
    # application (application_for_team: 404 otherwise); POST saves the draft (save_draft)
    application = application_for_team(request.user, reference)
    if request.method != "POST":
        return _edit_page(request, application)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            services.save_draft(
                user=request.user,
                application=application,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                links=parse_links(form.cleaned_data["links"]),
                credit=form.cleaned_data["credit"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your page is saved. Submit it for approval."))
            return redirect("showcase:edit", reference=application.reference)
    return _edit_page(request, application, form=form, status=422)


def _act(request: AuthenticatedHttpRequest, reference: str, verb: str) -> HttpResponse:
    application = application_for_team(request.user, reference)
    entry = _entry(application)
    try:
        if entry is None:
            raise ServiceError("showcase.not_saved")
        if verb == "submit":
            services.submit(user=request.user, entry=entry)
            messages.success(request, _("Your page is submitted: the fund's staff will read it."))
        else:
            services.withdraw(user=request.user, entry=entry)
            messages.success(request, _("Your page is no longer public."))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("showcase:edit", reference=application.reference)


@login_required
@require_POST
def submit(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # permission: signed in; the team (application_for_team: 404 otherwise); services.submit
    return _act(request, reference, "submit")


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # permission: signed in; the team (application_for_team: 404 otherwise); services.withdraw
    return _act(request, reference, "withdraw")


@login_required
@require_POST
def image_upload(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # permission: signed in; the team (application_for_team: 404 otherwise); services.add_image
    application = application_for_team(request.user, reference)
    entry = _entry(application)
    image_form = ImageForm(request.POST, request.FILES)
    if entry is None:
        image_form.add_error(None, _("Save the page before you add images."))
    elif image_form.is_valid():
        try:
            services.add_image(
                user=request.user,
                entry=entry,
                uploaded_file=image_form.cleaned_data["image"],
                alt=image_form.cleaned_data["alt"],
            )
        except ServiceError as error:
            field = error.field if error.field in image_form.fields else None
            image_form.add_error(field, error.message)
        else:
            messages.success(request, _("The image is added; the antivirus checks it."))
            return redirect("showcase:edit", reference=application.reference)
    return _edit_page(request, application, image_form=image_form, status=422)


@login_required
@require_POST
def image_remove(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    # permission: signed in; the team (application_for_team: 404 otherwise), an image of its
    # draft (404 otherwise); services.remove_image
    application = application_for_team(request.user, reference)
    image = Image.objects.filter(pk=pk, entry__application=application, in_draft=True).first()
    if image is None:
        raise Http404
    try:
        services.remove_image(user=request.user, image=image)
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("showcase:edit", reference=application.reference)


# --- staff --------------------------------------------------------------------------------------


@call_staff_required
def moderation(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: the staff of the call (call_staff_required: 403 for anyone else); the list
    # leaves out the files they are on
    entries = list(selectors.call_entries(request.user, call))
    return render(request, "showcase/moderation.html", {"call": call, "entries": entries})


def _review_page(
    request: AuthenticatedHttpRequest,
    entry: Entry,
    changes: ChangesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "entry": entry,
        "facts": selectors.facts(entry.application),
        "team": selectors.team_organisations(entry.application),
        "images": selectors.entry_images(entry, published=False),
        "approve_form": ApproveForm(initial={"version": entry.version}),
        "changes_form": changes or ChangesForm(initial={"version": entry.version}),
    }
    return render(request, "showcase/review.html", context, status=status)


@login_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the staff of the entry's call not on its file (entry_for_staff:
    # 404 otherwise)
    return _review_page(request, entry_for_staff(request.user, pk))


@login_required
@require_POST
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the staff of the entry's call not on its file (entry_for_staff:
    # 404 otherwise); services.approve
    entry = entry_for_staff(request.user, pk)
    form = ApproveForm(request.POST)
    try:
        version = int(form.data.get("version", ""))
        services.approve(user=request.user, entry=entry, version=version)
    except ValueError:
        messages.error(request, _("Read the page again before you answer."))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The page is published."))
    return redirect("showcase:review", pk=entry.pk)


@login_required
@require_POST
def request_changes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the staff of the entry's call not on its file (entry_for_staff:
    # 404 otherwise); services.request_changes
    entry = entry_for_staff(request.user, pk)
    form = ChangesForm(request.POST)
    if form.is_valid():
        try:
            services.request_changes(
                user=request.user,
                entry=entry,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The team is asked for changes."))
        return redirect("showcase:review", pk=entry.pk)
    return _review_page(request, entry, changes=form, status=422)
