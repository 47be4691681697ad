"""The staff participant list: stored standing, filtered, searched, sorted and paged in the
database with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pathwise.standing.models import StandingRow
from tests.builders import ada_file
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def people(import_files: Callable[..., list[str]], count: int, *, start: int = 100) -> None:
    files = []
    for n in range(start, start + count):
        data = ada_file(f"P-{n}", f"Person {n:03d}", enrolled_on="2025-10-01")
        data["participant"]["email"] = f"person{n}@example.org"
        data["participant"]["organization"] = "Genome Society" if n % 2 else "Ocean Lab"
        files.append(data)
    import_files(*files)


def rows_of(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-participant="')[1:]]


def test_importing_records_stores_each_participants_standing(ada: Any) -> None:
    row = StandingRow.objects.get(participant=ada)
    assert row.status == "overdue"
    assert row.left_count == len(row.left) > 0
    assert "Orientation mini-workshops" in row.left


def test_search_finds_by_name_id_email_or_organization(import_files, staff) -> None:
    people(import_files, 6)
    client = signed_in("sam", "staff-password-1")
    assert rows_of(client.get("/staff/participants/?q=Person+103").content.decode()) == ["P-103"]
    assert rows_of(client.get("/staff/participants/?q=p-104").content.decode()) == ["P-104"]
    assert rows_of(client.get("/staff/participants/?q=person105%40").content.decode()) == [
        "P-105"]
    genome = rows_of(client.get("/staff/participants/?q=genome").content.decode())
    assert genome == ["P-101", "P-103", "P-105"]


def test_the_list_sorts_and_pages_keeping_the_filters(import_files, staff) -> None:
    people(import_files, 120)
    client = signed_in("sam", "staff-password-1")
    first = client.get("/staff/participants/?sort=name&q=Person").content.decode()
    assert rows_of(first)[:2] == ["P-100", "P-101"]
    assert len(rows_of(first)) == 25
    assert "Page 1 of 5" in first
    assert "?sort=name&amp;q=Person&amp;page=2" in first
    last = client.get("/staff/participants/?sort=name&q=Person&page=5").content.decode()
    assert rows_of(last) == [f"P-{n}" for n in range(200, 220)]


def test_the_number_of_queries_does_not_grow_with_the_participants(import_files, staff) -> None:
    client = signed_in("sam", "staff-password-1")
    people(import_files, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staff/participants/?status=on_track").status_code == 200
    people(import_files, 60, start=300)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/staff/participants/?status=on_track").content.decode()
    assert len(rows_of(page)) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(("query", "words"), [
    ("sort=age", "Unknown order &#x27;age&#x27;"),
    ("status=lost", "Unknown status &#x27;lost&#x27;"),
    ("q=" + "x" * 101, "The search is 101 characters long; at most 100."),
])
def test_bad_list_parameters_are_named_and_the_list_still_shows(ada, staff, query: str,
                                                                 words: str) -> None:
    response = signed_in("sam", "staff-password-1").get(f"/staff/participants/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert 'data-participant="P-001"' in html


def test_names_and_organizations_are_escaped_in_the_list(import_files, staff) -> None:
    data = ada_file("P-777", "<b>Bold</b> & Co", enrolled_on="2025-10-01")
    data["participant"]["organization"] = "<script>alert(1)</script>"
    import_files(data)
    html = signed_in("sam", "staff-password-1").get("/staff/participants/").content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
