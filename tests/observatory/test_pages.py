"""What a visitor sees on the observatory, its CSV files, and the staff's refresh pages."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.accounts.models import Role
from filiere.observatory.models import Snapshot
from filiere.observatory.presentation import number
from filiere.observatory.services import refresh_now
from tests.accounts.factories import user_with_role
from tests.factories import OrganisationFactory

from .factories import applications, closed_call

pytestmark = pytest.mark.django_db


def _history():
    first = closed_call(2010)
    applications(first, 12, awarded=6)
    applications(first, 10, awarded=3, genre="web-documentary")
    second = closed_call(2011)
    applications(second, 8, awarded=5, amount="30000")
    refresh_now()


class Figures(HTMLParser):
    """Each figure's bars (row, column → value) and table cells (row, column → text)."""

    def __init__(self):
        super().__init__()
        self.figures, self.current, self.columns, self.row, self.cell = {}, None, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.current = self.figures.setdefault(attrs["id"], {"bars": {}, "cells": {}})
            self.columns = []
        elif self.current is None:
            return
        elif tag == "rect" and "data-value" in attrs:
            key = (attrs["data-row"], attrs["data-column"])
            self.current["bars"][key] = attrs["data-value"]
        elif tag == "text" and "data-mark" in attrs:
            self.current["bars"][(attrs["data-row"], attrs["data-column"])] = attrs["data-mark"]
        elif tag == "th" and "data-column" in attrs:
            self.columns.append(attrs["data-column"])
        elif tag == "tr" and "data-row" in attrs:
            self.row, self.position = attrs["data-row"], -1
        elif tag == "td" and self.row is not None:
            self.position += 1
            self.cell = (self.row, self.columns[self.position])
            self.current["cells"][self.cell] = ""

    def handle_endtag(self, tag):
        if tag == "figure":
            self.current = None
        elif tag == "td":
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.current["cells"][self.cell] += data.strip()


def _figures(response):
    parser = Figures()
    parser.feed(response.content.decode())
    return parser.figures


def test_a_visitor_sees_the_figures_with_their_date_and_the_small_counts_hidden(client):
    _history()
    response = client.get("/observatory/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data as of" in page
    for heading in ("The cluster", "Calls for projects", "Applications and awards by year"):
        assert heading in page
    figures = _figures(response)
    genre = figures["figure-genre-all"]["cells"]
    assert genre[("serious-game", "applications")] == "20"
    assert genre[("web-documentary", "awarded")] == "< 5"  # 3 awards
    assert genre[("serious-game", "awarded")] == "hidden"  # 14 - 6 would give the 3 away
    years = figures["figure-years"]["cells"]
    assert years[("2011", "awarded")] == "5"
    assert years[("2011", "awarded_amount")] == number(150000, "eur")
    assert "<script" not in page.split("<main", 1)[1]  # charts are drawn on the server


def test_every_bar_of_every_chart_is_the_figure_of_its_table(client):
    _history()
    for _ in range(7):
        OrganisationFactory(kind="school")
    for url in ("/observatory/", "/observatory/?year=2010"):
        figures = _figures(client.get(url))
        checked = 0
        for anchor, figure in figures.items():
            units = {}
            for (row, column), drawn in figure["bars"].items():
                shown = figure["cells"][(row, column)]
                if drawn in ("small", "hidden"):
                    assert shown == {"small": "< 5", "hidden": "hidden"}[drawn], anchor
                else:
                    units.setdefault(column, "percent" if column == "success_rate" else "count")
                    value = float(drawn) if "." in drawn else int(drawn)
                    assert shown == number(value, units[column]), (anchor, row, column)
                checked += 1
        assert checked > 20


def test_the_year_chosen_shows_the_breakdowns_of_that_year(client):
    _history()
    response = client.get("/observatory/?year=2011")
    figures = _figures(response)
    assert "figure-genre-2011" in figures and "figure-genre-all" not in figures
    assert figures["figure-genre-2011"]["cells"][("serious-game", "applications")] == "8"
    assert 'aria-current="page">2011' in response.content.decode()


def test_before_any_refresh_the_page_says_so_and_there_is_no_file(client):
    response = client.get("/observatory/")
    assert "The figures have not been computed yet." in response.content.decode()
    assert client.get("/observatory/years.csv").status_code == 404


def test_each_table_downloads_as_csv_with_the_same_marks(client):
    _history()
    response = client.get("/observatory/genre.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="observatory-genre-all.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Genre", "Applications", "Awarded"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Serious game"][:2] == ["20", "hidden"]
    assert by_label["Webdocumentaire"][:2] == ["10", "< 5"]
    assert by_label["Total"][:5] == ["30", "14", "46.7", "1500000", "510000"]
    year = client.get("/observatory/genre.csv?year=2011")
    assert 'filename="observatory-genre-2011.csv"' in year["Content-Disposition"]
    assert client.get("/observatory/nothing.csv").status_code == 404


def test_the_page_reads_the_snapshot_only_whatever_the_data(client):
    _history()
    client.get("/observatory/")  # warm
    with CaptureQueriesContext(connection) as small:
        client.get("/observatory/")
    for year in (2012, 2013, 2014, 2015):
        applications(closed_call(year), 6, awarded=2)
    refresh_now()
    client.get("/observatory/")
    with CaptureQueriesContext(connection) as large:
        response = client.get("/observatory/")
    assert len(large.captured_queries) == len(small.captured_queries) <= 2
    assert "2015" in response.content.decode()
    assert all("calls_application" not in q["sql"] for q in large.captured_queries)


def test_staff_refresh_and_follow_the_progress(client, django_capture_on_commit_callbacks):
    _history()
    client.force_login(user_with_role(Role.STAFF))
    page = client.get("/observatory/staff/")
    assert "Refresh the figures now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/observatory/staff/refresh/")
    snapshot = Snapshot.objects.first()
    assert response["Location"] == f"/observatory/staff/{snapshot.pk}/"
    progress = client.get(response["Location"]).content.decode()
    assert re.search(r'<progress[^>]*value="100"', progress)
    assert "published" in progress


def test_the_progress_of_a_waiting_refresh_polls_until_done(client):
    client.force_login(user_with_role(Role.STAFF))
    snapshot = Snapshot.objects.create(status="running", step="genre", progress=40)
    page = client.get(f"/observatory/staff/{snapshot.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "By genre" in page and 'value="40"' in page
    partial = client.get(f"/observatory/staff/{snapshot.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="observatory-progress"')
    # A second refresh waits for this one.
    response = client.post("/observatory/staff/refresh/", follow=True)
    assert "already waiting or under way" in response.content.decode()


def test_members_do_not_refresh(client):
    client.force_login(user_with_role(Role.APPLICANT))
    assert client.post("/observatory/staff/refresh/").status_code == 403
    assert not Snapshot.objects.exists()


def test_a_label_a_spreadsheet_would_run_is_written_as_text(client):
    from filiere.calls.models import Genre

    Genre.objects.filter(code="serious-game").update(label_fr="=HYPERLINK(1)", label_en="=X")
    _history()
    rows = list(csv.reader(io.StringIO(client.get("/observatory/genre.csv").content.decode())))
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]


def test_each_chart_names_what_its_bars_measure(client):
    _history()
    page = client.get("/observatory/").content.decode()
    genre = page.split('id="figure-genre-all"', 1)[1].split("</figure>", 1)[0]
    charts = genre.split("<svg")[1:]
    assert len(charts) == 2
    assert ">Applications</text>" in charts[0] and ">Awarded</text>" in charts[0]
    assert ">Amount awarded (EUR)</text>" in charts[1]
    # Below the legend, not over it (2011: five awards of serious games, drawn).
    page = client.get("/observatory/?year=2011").content.decode()
    genre = page.split('id="figure-genre-2011"', 1)[1].split("</figure>", 1)[0]
    amounts = genre.split("<svg")[2]
    first_bar = re.search(r'<rect x="\d+" y="(\d+)"[^>]*data-value', amounts)
    assert int(first_bar.group(1)) >= 24
