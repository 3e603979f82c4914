"""The showcase's pages: the public gallery (search, filters with several values, shareable
addresses, pages, constant queries) and project page, the images served, the team's page and
the staff's moderation, and the link from the beneficiary's agreement page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.awards.models import AgreementStatus
from filiere.calls.models import Genre
from filiere.showcase import services
from filiere.showcase.models import Entry, EntryStatus, Image
from tests.accounts.pagecheck import check_page
from tests.factories import OrganisationFactory, add_member

from .factories import call_staff, draft, funded, open_call, png_upload, published

pytestmark = pytest.mark.django_db


def test_the_project_page_shows_what_the_platform_knows_and_the_team_chose(client, settings):
    settings.FILIERE_PLATFORM_NAME = "Plateforme Test"
    case = funded(status=AgreementStatus.CLOSED, amount=Decimal("45000"))
    partner = OrganisationFactory(name="Labo Partenaire")
    add_member(case.application, organisation=partner)
    add_member(case.application, organisation=OrganisationFactory(name="Invité"), accepted=False)
    entry = published(case, credit="Photos : Studio Nord")
    check_page(client.get(reverse("showcase:project", args=[entry.slug])))
    html = client.get(reverse("showcase:project", args=[entry.slug])).content.decode()
    assert "La Mine en jeu" in html
    assert case.application.organisation.name in html and "Labo Partenaire" in html
    assert "Invité" not in html  # a pending invitation is not the team
    assert case.application.lead.email not in html
    assert "45" in html and "Completed" in html
    assert case.application.genre.label in html
    assert case.application.organisation.territory.label in html
    assert 'rel="noopener nofollow ugc"' in html
    assert 'alt="Une galerie de mine"' in html
    assert "Plateforme Test" in html and case.application.call.fund.name in html


def test_a_draft_a_submitted_or_a_withdrawn_page_is_not_public(client):
    case = funded()
    entry = draft(case)
    url = reverse("showcase:project", args=[entry.slug])
    assert client.get(url).status_code == 404
    assert entry.slug not in client.get(reverse("showcase:gallery")).content.decode()


def test_the_image_is_served_with_its_type_and_nosniff_only_while_published(client):
    case = funded()
    entry = published(case)
    image = entry.images.get()
    response = client.get(reverse("showcase:image", args=[image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    Image.objects.filter(pk=image.pk).update(scan_status="infected")
    assert client.get(reverse("showcase:image", args=[image.pk])).status_code == 404
    Image.objects.filter(pk=image.pk).update(scan_status="clean")
    client.force_login(case.lead)
    client.post(reverse("showcase:withdraw", args=[case.application.reference]))
    client.logout()
    assert client.get(reverse("showcase:image", args=[image.pk])).status_code == 404


def _gallery_world():
    call = open_call()
    games = Genre.objects.get(code="serious-game")
    others = Genre.objects.exclude(pk=games.pk).order_by("pk")[:2]
    rows = []
    for n, genre in enumerate([games, *others]):
        case = funded(call, genre=genre)
        rows.append((published(case, title=f"Projet {genre.code} numéro {n}"), genre))
    return rows


def test_the_gallery_searches_words_and_filters_several_values(client):
    rows = _gallery_world()
    (first, g1), (second, g2), (third, _g3) = rows
    url = reverse("showcase:gallery")
    html = client.get(url, {"genre": [g1.code, g2.code]}).content.decode()
    assert first.published_title in html and second.published_title in html
    assert third.published_title not in html
    html = client.get(url, {"q": f"numéro {g2.code}"}).content.decode()
    assert second.published_title in html and first.published_title not in html
    year = first.application.call.closes_at.year
    html = client.get(url, {"year": [str(year)], "genre": g1.code}).content.decode()
    assert first.published_title in html and second.published_title not in html
    # The year's box sends the bare year (French pages would write "2 026").
    assert f'name="year" value="{year}" id="year-{year}" checked' in html
    territory = first.application.organisation.territory.code
    html = client.get(url, {"territory": territory}).content.decode()
    assert first.published_title in html
    # Unknown values are ignored, never a 500.
    assert client.get(url, {"year": "abcd", "genre": "nope", "page": "x"}).status_code == 200


def test_the_gallery_pages_keep_the_filters(client, monkeypatch):
    monkeypatch.setattr("filiere.showcase.views.PAGE_SIZE", 2)
    rows = _gallery_world()
    genres = [g.code for _e, g in rows]
    html = client.get(reverse("showcase:gallery"), {"genre": genres}).content.decode()
    assert "page=2" in html and "genre=" in html


def test_the_gallery_costs_the_same_queries_for_few_or_many_entries(client):
    call = open_call()
    published(funded(call))
    url = reverse("showcase:gallery")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "Mine"})
    for _ in range(4):
        published(funded(call))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"q": "Mine"}).content.decode()
    assert html.count("/showcase/images/") == 5
    assert len(many) == len(few)


def test_the_team_writes_uploads_and_submits_from_its_page(client):
    case = funded()
    client.force_login(case.lead)
    url = reverse("showcase:edit", args=[case.application.reference])
    check_page(client.get(url))
    response = client.post(
        url,
        {
            "title": "Titre public",
            "summary": "Résumé",
            "links": "https://example.org Le site\nhttp://example.com",
            "credit": "",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(application=case.application)
    assert entry.links == [
        {"url": "https://example.org", "label": "Le site"},
        {"url": "http://example.com", "label": ""},
    ]
    response = client.post(
        reverse("showcase:image_upload", args=[case.application.reference]),
        {"image": png_upload(), "alt": "Un décor"},
    )
    assert response.status_code == 302
    Image.objects.filter(entry=entry).update(scan_status="clean")
    page = client.get(url).content.decode()
    assert "Funded by" in page or "Financé" in page
    assert "&lt;p class=&quot;funded-by&quot;&gt;" in page  # the HTML snippet, escaped
    client.post(reverse("showcase:submit", args=[case.application.reference]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_a_bad_link_is_a_clear_message_not_a_500(client):
    case = funded()
    client.force_login(case.lead)
    response = client.post(
        reverse("showcase:edit", args=[case.application.reference]),
        {"title": "T", "summary": "S", "links": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert "javascript:alert(1)" in response.content.decode()
    assert not Entry.objects.exists()


def test_the_staff_list_and_approve_from_the_pages(client):
    case = funded()
    entry = draft(case)
    client.force_login(case.lead)
    client.post(reverse("showcase:submit", args=[case.application.reference]))
    scoped = call_staff(case.application.call)
    client.force_login(scoped)
    check_page(client.get(reverse("showcase:moderation", args=[case.application.call.slug])))
    review = client.get(reverse("showcase:review", args=[entry.pk]))
    check_page(review)
    entry.refresh_from_db()
    response = client.post(reverse("showcase:approve", args=[entry.pk]), {"version": entry.version})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.is_public


def test_the_staff_ask_for_changes_with_a_reason(client):
    case = funded()
    entry = draft(case)
    client.force_login(case.lead)
    client.post(reverse("showcase:submit", args=[case.application.reference]))
    client.force_login(case.staff)
    url = reverse("showcase:request_changes", args=[entry.pk])
    assert client.post(url, {"version": entry.version, "reason": ""}).status_code == 422
    client.post(url, {"version": entry.version, "reason": "Ajoutez un crédit."})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CHANGES_REQUESTED
    client.force_login(case.lead)
    page = client.get(reverse("showcase:edit", args=[case.application.reference]))
    assert "Ajoutez un crédit." in page.content.decode()


def test_the_agreement_page_links_the_showcase_for_the_team_once_signed(client):
    case = funded()
    client.force_login(case.lead)
    page = client.get(reverse("awards:my_agreement", args=[case.agreement.pk])).content.decode()
    assert reverse("showcase:edit", args=[case.application.reference]) in page
    sent = funded(status=AgreementStatus.SENT)
    client.force_login(sent.lead)
    page = client.get(reverse("awards:my_agreement", args=[sent.agreement.pk])).content.decode()
    assert "/showcase/my/" not in page  # the menu's gallery link is there, not the team's page


def test_the_calls_agreements_page_leads_its_staff_to_the_showcase_pages(client):
    case = funded()
    client.force_login(case.staff)
    call = case.application.call
    page = client.get(reverse("awards:call_agreements", args=[call.slug])).content.decode()
    assert reverse("showcase:moderation", args=[call.slug]) in page


def test_the_staff_list_costs_the_same_queries_and_puts_those_awaiting_first(client):
    call = open_call()
    scoped = call_staff(call)
    published(funded(call))
    client.force_login(scoped)
    url = reverse("showcase:moderation", args=[call.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        published(funded(call))
    waiting = funded(call)
    services.submit(user=waiting.lead, entry=draft(waiting, title="En attente"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert html.index("En attente") < html.index("La Mine en jeu")


def test_anonymous_visitors_get_the_cached_pages_and_a_withdrawal_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FILIERE_PAGE_CACHE = True
    from django.core.cache import caches

    caches["pages"].clear()
    case = funded()
    entry = published(case, title="Les Terrils en VR")
    urls = [reverse("showcase:project", args=[entry.slug]), reverse("showcase:gallery")]
    for url in urls:
        assert "Les Terrils en VR" in client.get(url).content.decode()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == 200 and len(queries) == 0  # answered from the cache
        assert "Les Terrils en VR" in again.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # the pages are renewed on commit
        services.withdraw(user=case.lead, entry=Entry.objects.get(pk=entry.pk))
    assert client.get(urls[0]).status_code == 404
    assert "Les Terrils en VR" not in client.get(urls[1]).content.decode()
