"""Staff reach an application's eligibility decision by clicking, from the list of calls; every
class the calls templates use is styled, by a stylesheet the page loads."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.calls.instruction_factories import ApplicationFactory, CallFactory
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

CALLS_TEMPLATES = Path(__file__).resolve().parents[2] / "src/filiere/calls/templates"


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def _link(html: str, url: str) -> str:
    """The link to ``url`` as the page offers it (fails when the page has none)."""
    assert f'href="{url}"' in html, f"no link to {url}"
    return url


def test_staff_click_from_the_calls_to_an_eligibility_decision(client):
    call = CallFactory()
    application = ApplicationFactory(call=call)
    client.force_login(user_with_role("staff"))

    calls_page = client.get(reverse("calls:design_calls")).content.decode()
    call_page = client.get(_link(calls_page, reverse("calls:design_call", args=[call.pk])))
    call_html = call_page.content.decode()
    assert call_page.status_code == 200
    applications_url = reverse("calls:staff_applications", args=[call.slug])
    assert f'href="{applications_url}"' in calls_page  # also straight from the list
    listing = client.get(_link(call_html, applications_url))
    listing_html = listing.content.decode()
    assert listing.status_code == 200
    _link(listing_html, reverse("calls:design_call", args=[call.pk]))  # and back
    detail_url = reverse("calls:staff_application", args=[call.slug, application.reference])
    detail = client.get(_link(listing_html, detail_url))
    assert detail.status_code == 200
    decide_url = reverse("calls:staff_decide", args=[call.slug, application.reference])
    assert f'action="{decide_url}"' in detail.content.decode()
    response = client.post(decide_url, {"decision": "declare_eligible"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "eligible"


@pytest.mark.parametrize(
    "name",
    ["calls:design_calls", "calls:design_call", "calls:staff_applications"],
)
def test_staff_and_design_pages_load_the_calls_stylesheet(client, name):
    call = CallFactory()
    ApplicationFactory(call=call)
    client.force_login(user_with_role("staff"))
    args = {"calls:design_call": [call.pk], "calls:staff_applications": [call.slug]}.get(name, [])
    html = client.get(reverse(name, args=args)).content.decode()
    head = html.split("</head>")[0]
    assert re.search(r'<link rel="stylesheet" href="[^"]*calls/calls\.css"', head)


def _template_classes() -> dict[str, set[str]]:
    """Static class names of every calls template (dynamic parts are left out)."""
    found: dict[str, set[str]] = {}
    for path in CALLS_TEMPLATES.rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', path.read_text()):
            value = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value)
            for name in value.split():
                if re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                    found.setdefault(name, set()).add(path.name)
    return found


def test_every_class_in_the_calls_templates_is_styled():
    stylesheets = ["ui/filiere.css", "calls/calls.css", "calls/applying.css"]
    css = "\n".join(Path(finders.find(name)).read_text() for name in stylesheets)
    # Markers with nothing to add to the default look (``rule--`` ends a dynamic name).
    unstyled_on_purpose = {"rule", "rule--passed"}
    missing = {
        name: sorted(where)
        for name, where in _template_classes().items()
        if name not in unstyled_on_purpose
        and not name.endswith("-")
        and not re.search(rf"\.{re.escape(name)}(?![\w-])", css)
    }
    assert not missing, missing
