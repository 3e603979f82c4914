"""Whole public pages kept in a cache for anonymous visitors (docs/deploy/page-cache.md).

A view decorated with ``@public_page("calls", max_age=60)`` answers an anonymous GET from the
cache when the same page (language, path, normalised query string, htmx variant, release) was
rendered since the last change of its data families. Signed-in users never read nor fill it.

- **Invalidation**: each family ("calls", "directory", ...) has a version token in the cache,
  replaced whenever a model of that family is saved or deleted (``page_invalidation.py``), or when a
  service calls ``changed("family")``. The page is stored with the versions read before it was
  rendered, so a page rendered from old data can never be taken for a newer one.
- **One round trip on a hit**: the page and its families' versions come in one ``get_many``.
- **Time**: an entry expires after ``max_age`` seconds or at the moment the view declared with
  ``valid_until`` (a call opening or closing), whichever comes first.
- **What is never stored**: a response other than 200, a streaming one, one that sets a cookie,
  changes the session, carries a message, uses a CSP nonce, or a page whose query string has a
  parameter the view did not declare (or too many, too long): those are rendered as usual.
- **The CSRF token** of the header's language switcher (every page has one) is stored as a
  placeholder and replaced on each hit by this visitor's own token, so CsrfViewMiddleware sets
  the visitor's cookie as it always does, and no token is ever shared between visitors.
- **Headers** (CSP, Vary, X-Frame-Options, Content-Language...) come from the middleware on every
  response, hit or miss: nothing of a previous request's headers is replayed but the view's own.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.http import urlencode

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

ALIAS = "pages"
VERSION_PREFIX = "page-version:"
PAGE_PREFIX = "page:"
# A query string the cache accepts: at most this many non-empty parameters, each this long.
MAX_PARAMS = 8
MAX_VALUE_LENGTH = 100
MAX_QUERY_LENGTH = 600
# What Django's {% csrf_token %} renders; the token is 64 letters and digits.
TOKEN_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
PLACEHOLDER = b"@@filiere-page-cache-csrf-token@@"
# Response attributes through which django-csp's decorators change a page's policy.
CSP_ATTRIBUTES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def configured() -> bool:
    """Without its own cache (settings.CACHES["pages"]) the page cache does nothing at all."""
    return ALIAS in settings.CACHES


def enabled() -> bool:
    return configured() and bool(getattr(settings, "FILIERE_PAGE_CACHE", False))


def page_cache() -> BaseCache:
    return caches[ALIAS]


def _shared() -> bool:
    """Whether other processes read this cache (they must hear of changes even where this one
    does not serve pages, e.g. the background worker)."""
    return not isinstance(page_cache(), LocMemCache)


@functools.cache
def release() -> str:
    """Changes with the templates and the catalogues, so that a deployment never serves the
    pages of the previous one (a fixed value may be set: FILIERE_PAGE_CACHE_RELEASE)."""
    fixed = getattr(settings, "FILIERE_PAGE_CACHE_RELEASE", "")
    if fixed:
        return str(fixed)
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    paths = [
        *sorted(base.glob("*/templates/**/*.html")),
        *sorted(base.glob("locale/*/LC_MESSAGES/*.mo")),
        # The collected static files' names (ui/filiere.css's hash) are in every page.
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    for path in paths:
        if path.exists():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:16]


# --- Invalidation -----------------------------------------------------------------------------


class _Bump:
    """A callback run once the transaction commits; also a marker, so that a transaction that
    saves many rows of one family registers it once."""

    def __init__(self, families: frozenset[str]) -> None:
        self.families = families

    def __call__(self) -> None:
        bump(self.families)


def bump(families: Iterable[str]) -> None:
    """Replace the families' versions: every page that shows their data is rendered again."""
    try:
        page_cache().set_many({VERSION_PREFIX + f: uuid.uuid4().hex for f in families}, None)
    except Exception:  # a cache down must not refuse the change itself
        # Pages then expire by their max_age; the cache's own failure is in the log.
        logger.exception("page cache: could not invalidate %s", sorted(families))


def changed(*families: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """The data of these families changes in the current transaction: their pages are rendered
    again once it commits (at once outside a transaction).

    Only after the commit: until then other visitors read the old data anyway, and a page
    rendered meanwhile from the old data is stored under the old version. Not before it either:
    on the database cache, writing the version inside the transaction would hold its row locked
    until the commit, one writer after the other."""
    if not configured() or not (enabled() or _shared()):
        return  # a cache of this process only, which it does not read: nobody to tell
    connection = connections[using]
    # Once per family and atomic block: a service saving many rows bumps once.
    current = set(connection.savepoint_ids)
    pending: set[str] = set()
    for registered in connection.run_on_commit:
        sids, callback = registered[0], registered[1]
        if isinstance(callback, _Bump) and sids == current:
            pending |= callback.families
    new = frozenset(families) - pending
    if new:
        connection.on_commit(_Bump(new), robust=True)


# --- The views' side ----------------------------------------------------------------------------


def valid_until(request: HttpRequest, moment: datetime | None) -> None:
    """The page the view is rendering changes by itself at ``moment`` (a call opens or closes):
    a cached copy is not served after it."""
    if moment is None:
        return
    current = getattr(request, "_page_cache_until", None)
    stamp = moment.timestamp()
    if current is None or stamp < current:
        request._page_cache_until = stamp  # type: ignore[attr-defined]


def normalised_query(request: HttpRequest, params: frozenset[str]) -> str | None:
    """The query string as the cache key sees it (declared parameters, sorted, empty ones left
    out), or None when the page is not to be cached for it."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return ""
    if len(raw) > MAX_QUERY_LENGTH:
        return None
    pairs: list[tuple[str, str]] = []
    for name, values in request.GET.lists():
        if name not in params:
            return None
        for value in values:
            if len(value) > MAX_VALUE_LENGTH:
                return None
            if value:
                pairs.append((name, value))
    if len(pairs) > MAX_PARAMS:
        return None
    return urlencode(sorted(pairs))


def page_key(request: HttpRequest, params: frozenset[str]) -> str | None:
    query = normalised_query(request, params)
    if query is None:
        return None
    headers = request.headers
    # django-htmx answers its requests with a fragment: another page for the cache.
    variant = "hx" if headers.get("HX-Request") == "true" else ""
    if headers.get("HX-History-Restore-Request") == "true":
        variant += "-restore"
    parts = (release(), translation.get_language() or "", request.path, query, variant)
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _anonymous_without_messages(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    # len() reads the pending messages without marking them shown.
    return storage is None or len(storage) == 0


def _current_versions(cache: BaseCache, keys: list[str]) -> tuple[str, ...] | None:
    """Every family needs a version before a page is rendered (else a page rendered before a
    change could be stored under the version the change creates)."""
    for key in keys:
        cache.add(key, uuid.uuid4().hex, None)
    found = cache.get_many(keys)
    if len(found) < len(keys):
        return None  # the cache does not keep what it is given: no caching
    return tuple(found[key] for key in keys)


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not isinstance(response, HttpResponse):
        return False
    if any(hasattr(response, name) for name in CSP_ATTRIBUTES):
        return False
    control = response.get("Cache-Control", "")
    if "private" in control or "no-store" in control:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if bool(getattr(request, "csp_nonce", None)):  # a nonce was used: it must never be replayed
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or len(storage) == 0


def _without_token(request: HttpRequest, body: bytes) -> bytes | None:
    """The body with the CSRF token of its forms as a placeholder; None when a token is in it
    elsewhere (it would then be shared between visitors)."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return body
    tokens = set(TOKEN_INPUT.findall(body))
    if len(tokens) != 1:
        return None
    token = tokens.pop()
    stripped = TOKEN_INPUT.sub(b'name="csrfmiddlewaretoken" value="' + PLACEHOLDER + b'"', body)
    return None if token in stripped else stripped


def _store(
    request: HttpRequest,
    response: HttpResponse,
    cache: BaseCache,
    key: str,
    versions: tuple[str, ...],
    max_age: int,
) -> None:
    body = _without_token(request, response.content)
    if body is None:
        return
    now = time.time()
    expires = min(now + max_age, getattr(request, "_page_cache_until", now + max_age))
    if expires <= now + 1:
        return
    headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
    entry = (versions, expires, response.status_code, headers, body)
    try:
        cache.set(key, entry, int(expires - now) + 1)
    except Exception:  # the page was rendered; the next visitor renders it again
        logger.exception("page cache: could not store")


def _replay(request: HttpRequest, entry: tuple[Any, ...]) -> HttpResponse:
    _versions, _expires, status, headers, body = entry
    if PLACEHOLDER in body:
        body = body.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def public_page(
    *families: str, max_age: int = 300, params: Iterable[str] = ()
) -> Callable[[View], View]:
    """Cache the anonymous GET answers of a public view, invalidated by ``families``.

    ``params``: the query parameters the page reads (others make the page uncacheable, so that
    no one can fill the cache or plant text in others' pages with made-up parameters)."""
    allowed = frozenset(params)
    version_keys = [VERSION_PREFIX + family for family in families]

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not enabled() or request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            key = page_key(request, allowed)
            if key is None or not _anonymous_without_messages(request):
                return view(request, *args, **kwargs)
            cache = page_cache()
            try:
                found = cache.get_many([key, *version_keys])
                current = tuple(found.get(k) for k in version_keys)
                entry = found.get(key)
                if entry is not None and entry[0] == current and entry[1] > time.time():
                    return _replay(request, entry)
                versions = (
                    _current_versions(cache, version_keys)
                    if None in current
                    else cast(tuple[str, ...], current)
                )
            except Exception:  # without its cache the page is rendered as usual
                logger.exception("page cache: could not read")
                versions = None
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # type: ignore[attr-defined]  # a TemplateResponse
            if versions is not None and _storable(request, response):
                _store(request, cast(HttpResponse, response), cache, key, versions, max_age)
            return response

        return cast(View, wrapper)

    return decorate
