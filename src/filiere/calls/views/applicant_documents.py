"""Documents of an application: upload (checked before storing), download (only clean files,
only for the team and the staff, always as an attachment), delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest

from ..access import access_document
from ..forms.applicant import DocumentUploadForm
from ..models import Document
from ..phrases import applying_message
from ..services import documents as services
from ..services.applications import ApplyError
from ..throttle import Throttled
from .applicant import _document_types, _documents_step, _load
from .files import throttled


@csrf_exempt
@login_required
@require_POST
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member with edit rights on an editable file (404 for
    # non-members; the service refuses the others). CSRF is checked inside, after the upload
    # size limit is installed (Django's documented pattern for custom upload handlers).
    if int(request.META.get("CONTENT_LENGTH") or 0) > services.largest_upload() + 256 * 1024:
        # Refused before the body is read: nothing of it is kept in memory or on disk.
        return _too_large(request, pk)
    limiter = services.LimitedUploadHandler(request, limit=services.largest_upload())
    request.upload_handlers.insert(0, limiter)
    return _document_upload(request, pk, limiter)


@csrf_protect
def _document_upload(
    request: AuthenticatedHttpRequest, pk: int, limiter: services.LimitedUploadHandler
) -> HttpResponse:
    application = _load(request, pk)
    form = DocumentUploadForm(
        request.POST, request.FILES, document_types=_document_types(application)
    )
    if limiter.too_large:
        form.add_error(
            "file",
            applying_message(
                "upload.too_large", {"size": limiter.received, "limit": services.largest_upload()}
            ),
        )
    elif form.is_valid():
        try:
            document = services.add_document(
                application=application,
                document_type=form.cleaned_data["document_type"],
                uploaded_file=form.cleaned_data["file"],
                by=request.user,
            )
        except services.UploadError as error:
            form.add_error("file", error.message)
        except ApplyError as error:
            form.add_error(None, error.message)
        except Throttled as error:
            form.add_error(None, error.message)
            return throttled(_documents_step(request, application, form=form, status=429), error)
        else:
            messages.success(
                request,
                _("“%(name)s” was received; the antivirus checks it now.")
                % {"name": document.original_name},
            )
            return redirect("calls:application_step", pk=application.pk, step="documents")
    return _documents_step(request, application, form=form, status=400)


def _too_large(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _load(request, pk)
    form = DocumentUploadForm(document_types=_document_types(application))
    form.errors["file"] = form.error_class(
        [
            applying_message(
                "upload.too_large",
                {
                    "size": int(request.META.get("CONTENT_LENGTH") or 0),
                    "limit": services.largest_upload(),
                },
            )
        ]
    )
    return _documents_step(request, application, form=form, status=413)


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    # permission: signed in; team members of the application and staff (404 for everyone else);
    # only files the antivirus found clean, always as an attachment
    document = access_document(request.user, pk)
    try:
        stored = services.open_for_download(document=document, by=request.user)
    except services.NotServable as blocked:
        return render(
            request,
            "calls/applicant/document_blocked.html",
            {"name": document.original_name, "status": blocked.scan_status},
            status=409,
        )
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def document_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member with edit rights on an editable file (404 for
    # non-members)
    document = get_object_or_404(Document.objects.select_related("application"), pk=pk)
    application = _load(request, document.application_id)
    try:
        services.delete_document(document=document, by=request.user)
    except ApplyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": document.original_name})
    return redirect("calls:application_step", pk=application.pk, step="documents")
