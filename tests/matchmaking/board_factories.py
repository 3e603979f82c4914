"""Test data of the offers and needs board: posts (listed by default), and members with a
profile."""

from datetime import timedelta

import factory
from django.utils import timezone

from filiere.matchmaking.models import Post, PostKind, PostStatus
from tests.factories import PersonFactory, UserFactory


class PostFactory(factory.django.DjangoModelFactory):
    """A published need, listed for 30 more days."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    kind = PostKind.NEED
    title = factory.Sequence(lambda n: f"Looking for a sound designer {n}")
    description = "A serious game about the sea needs sound design and music, three months."
    author = factory.SubFactory(UserFactory)
    status = PostStatus.PUBLISHED
    language = "fr"
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


def member(**person):
    """A signed-up member with a public profile (``person``: the profile's fields)."""
    names = {k: person.pop(k) for k in ("first_name", "last_name") if k in person}
    user = UserFactory(**names)
    PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name, **person)
    return user
