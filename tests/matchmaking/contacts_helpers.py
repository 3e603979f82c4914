"""Shared helpers of the contacts and find-partners tests: members with directory profiles."""

from filiere.community.models import Visibility
from tests.accounts.factories import UserFactory
from tests.factories import PersonFactory


def member(first_name: str = "Alice", last_name: str = "Martin", **person_kwargs):
    """A member with a directory profile (public unless ``visibility=``); returns the account."""
    user = UserFactory(first_name=first_name, last_name=last_name)
    person_kwargs.setdefault("visibility", Visibility.MEMBERS)
    PersonFactory(user=user, first_name=first_name, last_name=last_name, **person_kwargs)
    return user


def all_mail_text(outbox) -> str:
    return "\n".join(f"{m.subject}\n{m.body}\n{' '.join(m.to)}" for m in outbox)
