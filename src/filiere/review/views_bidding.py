"""The expert's bidding page: the applications of a closed call of their pool, one bid form per
row (eager, willing, not willing, conflict), each saved on its own without JavaScript.

Thin adapters: the gatekeeper (``selectors_bidding.call_for_bidder``: 404 for a call of another
pool), a form, one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError
from filiere.ui.params import as_id

from . import selectors_bidding as selectors
from . import services_bidding as services
from .forms_bidding import BidForm
from .models import BidValue
from .permissions import expert_required


def _form(pk: int, bid: str, data: QueryDict | None = None) -> BidForm:
    # One form per row: ids made unique by the application's id.
    return BidForm(data, initial={"value": bid}, auto_id=f"bid-{pk}-%s")


def _page(
    request: AuthenticatedHttpRequest,
    bidding: selectors.BiddingCall,
    number: str | int | None,
    bound: tuple[int, BidForm] | None = None,
) -> HttpResponse:
    found = selectors.bid_page(request.user, bidding, number)
    rows = []
    for row in found.rows:
        form = _form(row.application.pk, row.bid)
        if bound is not None and bound[0] == row.application.pk:
            form = bound[1]
        rows.append((row, form))
    return render(
        request,
        "review/my_bids.html",
        {"bidding": bidding, "call": bidding.call, "page": found.page, "rows": rows},
        status=200 if bound is None else 400,
    )


@expert_required
def my_bids(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: experts active in the pool of the call's fund, once the call has closed and
    # while it is current; 404 for any other call (selectors_bidding.call_for_bidder)
    bidding = selectors.call_for_bidder(request.user, slug)
    return _page(request, bidding, request.GET.get("page"))


@expert_required
@require_POST
def bid_save(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: as my_bids, and the application is one of the call's that the expert is not in
    # conflict with (404 otherwise, as everywhere for a conflicted expert)
    bidding = selectors.call_for_bidder(request.user, slug)
    application = selectors.application_for_bidder(request.user, bidding, pk)
    # Only a number goes back into the address.
    number = as_id(request.POST.get("page")) or 1
    form = _form(pk, "", request.POST)
    if form.is_valid():
        try:
            services.place_bid(
                user=request.user,
                call=bidding.call,
                application=application,
                value=form.cleaned_data["value"],
                conflict_kind=form.cleaned_data["conflict_kind"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if form.cleaned_data["value"] == BidValue.CONFLICT:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest with %(reference)s is recorded: the "
                        "application is no longer shown to you. You may withdraw it in My "
                        "conflicts."
                    )
                    % {"reference": application.reference},
                )
                anchor = ""
            else:
                messages.success(
                    request,
                    _("Your bid on %(reference)s is saved.") % {"reference": application.reference},
                )
                anchor = f"#application-{pk}"
            url = reverse("review:my_bids", kwargs={"slug": bidding.call.slug})
            return redirect(f"{url}?page={number}{anchor}")
    return _page(request, bidding, number, bound=(pk, form))
