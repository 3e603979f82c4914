"""Checks shared by the Django admin tests (tests/<app>/test_admin.py): an administrator's pages
open with a number of queries that does not grow with the data, and the read-only ones refuse
every write, even to an administrator."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.test import Client
from django.urls import reverse

from filiere.accounts.models import Role
from tests.accounts.factories import user_with_role


def administrator_client(client: Client) -> Client:
    """``client`` signed in as a platform administrator (Django's superuser)."""
    admin = user_with_role(Role.ADMIN)
    assert admin.is_superuser and admin.is_staff
    client.force_login(admin)
    return client


def admin_url(model: type[models.Model], view: str, *args: object) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def queries_of(client: Client, url: str, assert_max_num_queries: Callable, most: int) -> int:
    """Opens ``url`` (200 expected) within ``most`` queries; returns how many it took."""
    with assert_max_num_queries(most) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_constant_queries(
    client: Client,
    url: Callable[[], str],
    grow: Callable[[], object],
    assert_max_num_queries: Callable,
    most: int,
) -> None:
    """The page at ``url()`` takes the same number of queries (at most ``most``) before and
    after ``grow()`` adds rows to what it shows."""
    client.get(url())  # the first request of a session warms caches (content types…)
    small = queries_of(client, url(), assert_max_num_queries, most)
    grow()
    large = queries_of(client, url(), assert_max_num_queries, most)
    assert large == small, f"{url()}: {small} queries, then {large} with more rows"


def assert_read_only(client: Client, obj: models.Model, data: dict[str, object]) -> None:
    """No add page, no saving the change page (``data``: what a write would send), no delete:
    403 each time, and the object is unchanged."""
    model = type(obj)
    before = model._default_manager.filter(pk=obj.pk).values().get()
    count = model._default_manager.count()

    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), data).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), data).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    change_page = client.get(admin_url(model, "change", obj.pk))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    changelist = client.get(admin_url(model, "changelist"))
    assert "delete_selected" not in changelist.content.decode()

    assert model._default_manager.filter(pk=obj.pk).values().get() == before
    assert model._default_manager.count() == count
