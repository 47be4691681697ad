"""Which links participants may be sent to, and the window their access is open."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathwise.core.lms import URL_MAX, access_window, url_problem


@pytest.mark.parametrize("url", ["https://lms.example.org/course/1",
                                 "https://canvas.example.edu:8443/courses/12?x=1#top"])
def test_an_https_link_to_a_named_server_is_accepted(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "says"), [
    ("http://lms.example.org/", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://", "names no web server"),
    ("https://localhost/x", "names no web server"),
    ("https://user:pw@lms.example.org/", "password"),
    ("https://lms.example.org/a b", "space"),
    ("https://lms.example.org/\x00", "control character"),
    ("https://lms.example.org:99999/", "not a link"),
    ("https://lms.example.org/" + "x" * URL_MAX, f"at most {URL_MAX}"),
    ("", "expected a link"),
    (None, "expected a link"),
])
def test_anything_else_is_refused_saying_why(url: object, says: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert says in problem


@given(st.text(max_size=80))
def test_only_https_links_pass(text: str) -> None:
    if url_problem(text) is None:
        assert text.lower().startswith("https://")


def test_access_runs_from_enrollment_to_the_deadline() -> None:
    window = access_window(dt.date(2025, 9, 21), dt.date(2027, 9, 21))
    assert window.open_on(dt.date(2025, 9, 21))
    assert window.open_on(dt.date(2027, 9, 21))
    assert not window.open_on(dt.date(2027, 9, 22))
    assert not window.open_on(dt.date(2025, 9, 20))
