"""Types for annotations in the web ring: who may be asking, and a request past a sign-in check."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from .models import User

#: ``request.user``: an account, or the anonymous visitor.
AnyUser = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request that a sign-in check let through (``login_required``, ``staff_required``...):
    its user is an account. For annotations only; Django builds the requests."""

    user: User
