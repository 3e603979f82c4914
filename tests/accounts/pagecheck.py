"""What every page of ours must be: one <h1>, labelled fields, real buttons, no inline code."""

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.inline_scripts = 0
        self.style_attributes = 0
        self.style_elements = 0
        self.label_targets: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.buttons = 0
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        if any(name.startswith("on") for name in attributes):
            self.inline_scripts += 1
        if tag == "h1":
            self.h1 += 1
        elif tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        elif tag == "style":
            self.style_elements += 1
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in {
            "hidden",
            "submit",
        }:
            self.fields.append(attributes)
        elif tag == "button":
            self.buttons += 1
        elif tag == "img":
            self.images.append(attributes)


def check_page(response) -> _Page:
    """Assert the rules on a rendered HTML response and return what was found."""
    assert response.status_code == 200, response.status_code
    page = _Page()
    page.feed(response.content.decode())
    assert page.h1 == 1, f"{page.h1} <h1> on the page"
    assert page.inline_scripts == 0, "inline script"
    assert page.style_attributes == 0, "style attribute"
    assert page.style_elements == 0, "<style> element"
    unlabelled = [
        f.get("name")
        for f in page.fields
        if f.get("id") not in page.label_targets and not f.get("aria-label")
    ]
    assert not unlabelled, f"fields without a label: {unlabelled}"
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    return page
