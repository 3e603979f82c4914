"""Serving stored files of the calls app: only once the antivirus found them clean, always as
a download the browser never renders; before that, a page that says why (409)."""

from typing import TypeVar

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from ..models import Application, Message
from ..services import documents, instruction
from ..throttle import Throttled

Response = TypeVar("Response", bound=HttpResponseBase)


def blocked_page(request: HttpRequest, *, name: str, status: str) -> HttpResponse:
    return render(
        request,
        "calls/applicant/document_blocked.html",
        {"name": name, "status": status},
        status=409,
    )


def serve_message_attachment(
    request: HttpRequest, application: Application, pk: int
) -> HttpResponseBase:
    """The attachment of message ``pk`` of ``application`` (which the caller's gatekeeper let
    in; 404 for a message without one)."""
    message = get_object_or_404(application.messages.exclude(attachment=""), pk=pk)
    return serve_attachment(request, message)


def serve_attachment(request: HttpRequest, message: Message) -> HttpResponseBase:
    """The attachment as a download the browser never renders, or the page saying why not."""
    try:
        stored = instruction.open_attachment(message=message)
    except documents.NotServable as blocked:
        return blocked_page(request, name=message.attachment_name, status=blocked.scan_status)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=message.attachment_name,
        content_type=message.attachment_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def throttled(response: Response, error: Throttled) -> Response:
    """A 429 page (the form with its message, what was typed kept) saying when to come back."""
    response.status_code = 429
    response["Retry-After"] = str(error.retry_after)
    return response
