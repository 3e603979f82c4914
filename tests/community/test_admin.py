"""The Django admin of the skills vocabulary and of the members' works: an administrator reads
them (the vocabulary searched by any label or synonym, filtered by domain and status) in a
constant number of queries; changes go through the curation pages and the members' own pages,
so the admin refuses them."""

from urllib.parse import urlencode

import pytest

from filiere.community.models import Skill, SkillStatus, Work
from tests.admin_pages import (
    admin_url,
    administrator_client,
    assert_constant_queries,
    assert_read_only,
)
from tests.factories import PersonFactory, SkillFactory, UserFactory

pytestmark = pytest.mark.django_db

MOST_QUERIES = 12


@pytest.fixture
def admin_client(client):
    return administrator_client(client)


def _proposed(n: int) -> None:
    for _ in range(n):
        SkillFactory(status=SkillStatus.PROPOSED, proposed_by=UserFactory())


def _works(n: int, person=None) -> Work:
    person = person or PersonFactory()
    return Work.objects.bulk_create(
        Work(person=person, title=f"Work {k}", year=2000 + k, position=k) for k in range(n)
    )[0]


class TestSkills:
    def test_the_list_shows_the_three_labels_and_the_broader_entry(self, admin_client):
        page = admin_client.get(admin_url(Skill, "changelist") + "?q=keying").content.decode()

        assert "Incrustation sur fond vert" in page
        assert "Keying" in page
        assert "Compositing" in page  # its broader entry
        assert "L1510" in page

    @pytest.mark.parametrize(
        "query", ["chroma key", "fond VERT", "incrustation sur fond vert", "Keying"]
    )
    def test_search_reads_labels_and_synonyms_without_case_or_accents(self, admin_client, query):
        response = admin_client.get(admin_url(Skill, "changelist"), {"q": query})

        found = list(response.context["cl"].result_list)
        assert "keying" in {skill.slug for skill in found}

    def test_search_finds_a_dutch_label(self, admin_client):
        response = admin_client.get(admin_url(Skill, "changelist"), {"q": "geluid en muziek"})

        assert [skill.slug for skill in response.context["cl"].result_list] == ["sound-music"]

    def test_the_domain_filter_keeps_the_domain_and_every_entry_under_it(self, admin_client):
        response = admin_client.get(admin_url(Skill, "changelist"), {"domain": "visual-effects"})

        slugs = {skill.slug for skill in response.context["cl"].result_list}
        assert {"visual-effects", "compositing", "keying"} <= slugs  # keying: two levels down
        assert "animation-2d" not in slugs
        assert "Effets visuels" in response.content.decode()  # offered as a filter

    def test_the_status_filter_lists_the_proposed_tags(self, admin_client):
        tag = SkillFactory(name="Basket weaving", status=SkillStatus.PROPOSED)

        response = admin_client.get(admin_url(Skill, "changelist"), {"status__exact": "proposed"})

        assert list(response.context["cl"].result_list) == [tag]

    def test_the_change_page_links_to_the_curation_page(self, admin_client):
        keying = Skill.objects.get(slug="keying")

        page = admin_client.get(admin_url(Skill, "change", keying.pk)).content.decode()

        assert "/community/skills/keying/edit/" in page
        assert "green screen" in page  # a synonym, shown read-only

    @pytest.mark.parametrize("query", [{}, {"q": "animation"}, {"domain": "animation"}])
    def test_the_list_takes_constant_queries(
        self, admin_client, django_assert_max_num_queries, query
    ):
        def url():
            return admin_url(Skill, "changelist") + "?" + urlencode(query)

        assert_constant_queries(
            admin_client, url, lambda: _proposed(8), django_assert_max_num_queries, MOST_QUERIES
        )

    def test_the_change_page_takes_constant_queries(
        self, admin_client, django_assert_max_num_queries
    ):
        tag = SkillFactory(name="Basket weaving", status=SkillStatus.PROPOSED)
        tag.proposed_by = UserFactory()
        tag.save()

        assert_constant_queries(
            admin_client,
            lambda: admin_url(Skill, "change", tag.pk),
            lambda: _proposed(8),
            django_assert_max_num_queries,
            MOST_QUERIES,
        )

    def test_no_one_adds_changes_merges_or_deletes_entries_in_the_admin(self, admin_client):
        keying = Skill.objects.get(slug="keying")

        assert_read_only(
            admin_client, keying, {"name": "Renamed", "slug": "renamed", "status": "curated"}
        )


class TestWorks:
    def test_the_list_and_change_page_take_constant_queries(
        self, admin_client, django_assert_max_num_queries
    ):
        first = _works(2)

        for url in (
            lambda: admin_url(Work, "changelist"),
            lambda: admin_url(Work, "change", first.pk),
        ):
            assert_constant_queries(
                admin_client,
                url,
                lambda: _works(3),
                django_assert_max_num_queries,
                MOST_QUERIES,
            )

    def test_the_list_shows_each_work_with_its_person(self, admin_client):
        person = PersonFactory(first_name="Chloé", last_name="Dupont")
        _works(1, person)

        page = admin_client.get(admin_url(Work, "changelist"), {"q": "dupont"}).content.decode()

        assert "Work 0" in page
        assert "Dupont" in page

    def test_works_change_on_their_owners_page_only(self, admin_client):
        work = _works(1)

        assert_read_only(admin_client, work, {"title": "Renamed", "person": work.person_id})
