"""Public call pages: the grouped list (constant query count), phases to the second, the detail
page in the reader's language, the rules PDF, the "Apply" link, the demo calls."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from filiere.calls.models import Call
from filiere.calls.views.public import countdown
from filiere.demo.calls import load_demo_calls
from tests.calls.design_factories import PDF_BYTES, DesignCallFactory, paris
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _make_calls(count: int, now):
    for index in range(count):
        phase = index % 3
        if phase == 0:  # open
            DesignCallFactory(
                opens_at=now - dt.timedelta(days=5), closes_at=now + dt.timedelta(days=5 + index)
            )
        elif phase == 1:  # upcoming
            DesignCallFactory(
                opens_at=now + dt.timedelta(days=index), closes_at=now + dt.timedelta(days=60)
            )
        else:  # closed
            DesignCallFactory(
                opens_at=now - dt.timedelta(days=90), closes_at=now - dt.timedelta(days=index)
            )


def _list_queries(client) -> int:
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("calls:list"))
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_calls(client):
    now = timezone.now()
    _make_calls(3, now)
    few = _list_queries(client)
    _make_calls(27, now)
    many = _list_queries(client)
    assert few == many
    assert few <= 3


def test_list_groups_calls_by_phase_and_hides_drafts(client):
    now = timezone.now()
    DesignCallFactory(
        title_en="Open one",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
    )
    DesignCallFactory(
        title_en="Later one",
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=9),
    )
    DesignCallFactory(
        title_en="Past one",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    DesignCallFactory(title_en="Hidden one", published=False)
    with translation.override("en"):
        text = _text(client.get(reverse("calls:list")))
    open_at, upcoming_at, closed_at = (
        text.index("Open calls"),
        text.index("Upcoming calls"),
        text.index("Closed calls"),
    )
    assert open_at < text.index("Open one") < upcoming_at < text.index("Later one") < closed_at
    assert closed_at < text.index("Past one")
    assert "Hidden one" not in text


def test_phase_boundaries_to_the_second_in_paris():
    call = DesignCallFactory(opens_at=paris(2009, 9, 1, 12), closes_at=paris(2009, 10, 15, 12))
    assert call.phase(paris(2009, 9, 1, 11, 59, 59)) == Call.Phase.UPCOMING
    assert call.phase(paris(2009, 9, 1, 12, 0, 0)) == Call.Phase.OPEN
    assert call.phase(paris(2009, 10, 15, 11, 59, 59)) == Call.Phase.OPEN
    assert call.phase(paris(2009, 10, 15, 12, 0, 0)) == Call.Phase.CLOSED
    assert paris(2009, 10, 15, 12).utcoffset() == dt.timedelta(hours=2)  # CEST
    assert Call.objects.open_at(paris(2009, 10, 15, 11, 59, 59)).get() == call
    assert not Call.objects.open_at(paris(2009, 10, 15, 12)).exists()


def test_countdown_is_server_rendered_in_the_readers_language():
    call = DesignCallFactory(opens_at=paris(2009, 9, 1, 12), closes_at=paris(2009, 10, 15, 12))
    with translation.override("en"):
        assert countdown(call, paris(2009, 10, 12, 8)) == "Closes in 3\xa0days, 4\xa0hours"
        assert countdown(call, paris(2009, 8, 31, 12)) == "Opens in 1\xa0day"
        assert countdown(call, paris(2009, 10, 15, 12)) == "Closed on Oct. 15, 2009 12:00:00 CEST"
    with translation.override("fr"):
        assert "3\xa0jours, 4\xa0heures" in countdown(call, paris(2009, 10, 12, 8))


@pytest.mark.parametrize(
    ("language", "title", "envelope", "ceiling"),
    [
        ("en", "Interactive experiences 2009", "€1,400,000", "€150,000"),
        ("fr", "Expériences interactives 2009", "1\xa0400\xa0000\xa0€", "150\xa0000\xa0€"),
        ("nl", "Interactieve ervaringen 2009", "€\xa01.400.000", "€\xa0150.000"),
    ],
)
def test_detail_in_the_readers_language(client, language, title, envelope, ceiling):
    call = DesignCallFactory()
    prefix = "" if language == "fr" else f"/{language}"
    response = client.get(f"{prefix}/calls/call/{call.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert html.count("<h1>") == 1
    assert envelope in html
    assert ceiling in html


def test_detail_shows_rules_criteria_documents_and_deadline(client):
    from filiere.calls.services.design import Row, set_criteria

    call = DesignCallFactory(opens_at=paris(2009, 9, 1, 12), closes_at=paris(2009, 10, 15, 12))
    set_criteria(
        call=call,
        by=None,
        rows=[
            Row(values={"code": "q", "label_fr": "Qualité", "label_en": "Quality", "weight": 25})
        ],
    )
    with translation.override("en"):
        text = _text(client.get(reverse("calls:detail", args=[call.slug])))
    assert "Closed on Oct. 15, 2009 12:00:00 CEST" in text
    assert "Oct. 15, 2009 12:00:00 CEST" in text
    assert (
        "The amount requested may not exceed €150,000 nor 50% of the project's budget"
        in text.replace("&#x27;", "'")
    )
    assert "Quality 25" in text
    assert "Apply" not in text  # closed


def test_apply_link_only_when_open(client):
    now = timezone.now()
    call = DesignCallFactory(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1)
    )
    from filiere.calls.views.public import apply_url

    with translation.override("en"):
        html = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
        url = apply_url(call)
    if url:
        assert f'href="{url}"' in html
    else:
        assert ">Apply<" not in html


def test_hidden_call_is_404_for_the_public_and_a_preview_for_staff(client):
    call = DesignCallFactory(published=False)
    url = f"/en/calls/call/{call.slug}/"
    assert client.get(url).status_code == 404
    client.force_login(user_with_role("member"))
    assert client.get(url).status_code == 404
    client.force_login(user_with_role("staff"))
    with translation.override("en"):
        response = client.get(url)
    assert response.status_code == 200
    assert "Preview: this call is not published." in response.content.decode()


def test_rules_pdf_served_as_attachment(client):
    call = DesignCallFactory(with_pdf=True)
    response = client.get(reverse("calls:rules_pdf", args=[call.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-rules.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES
    without = DesignCallFactory()
    assert client.get(reverse("calls:rules_pdf", args=[without.slug])).status_code == 404


def test_no_inline_script_or_style(client):
    call = DesignCallFactory()
    for url in (reverse("calls:list"), reverse("calls:detail", args=[call.slug])):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_demo_calls_cover_every_section_and_reload(client):
    open_call, upcoming, closed = load_demo_calls()
    now = timezone.now()
    assert [c.phase(now) for c in (open_call, upcoming, closed)] == ["open", "upcoming", "closed"]
    assert open_call.envelope == 1_400_000
    assert open_call.genres.count() == 5
    assert open_call.cofunders.count() == 4
    wallimage = open_call.cofunders.get(name="Wallimage")
    assert wallimage.eligible_partner_territories == ["wallonia"]
    assert open_call.questions.exclude(condition={}).exists()
    assert open_call.questions.filter(kind="group", children__isnull=False).exists()
    assert upcoming.cloned_from == open_call and closed.cloned_from == open_call
    first_pks = sorted(open_call.questions.values_list("pk", flat=True))
    again = load_demo_calls()
    assert again[0].pk == open_call.pk
    assert sorted(again[0].questions.values_list("pk", flat=True)) == first_pks
    assert Call.objects.count() == 3
    with translation.override("en"):
        text = _text(client.get(reverse("calls:list")))
    assert "Interactive experiences — new genres (2009)" in text
    assert "Interactive experiences — new genres (2010)" in text
    assert "Interactive experiences — new genres (2008)" in text
