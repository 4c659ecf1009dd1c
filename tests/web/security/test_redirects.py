"""Open redirects: wherever Sanaly sends a browser after a form (sign-in's ``next``, the language switch's
``next``), the browser lands on Sanaly, whatever the attacker put in the link."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.security import is_safe_redirect
from tests.conftest import PASSWORD, make_user

HOST = "localhost"
ATTACKS = [
    "https://evil.example/", "//evil.example/", "///evil.example/", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "/\n/evil.example", " //evil.example", "\x00//evil.example", "http:evil.example",
    "https:/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "//evil.example@localhost/", "/%09/evil.example", "/%2F/evil.example", "//%65vil.example", "/.\\/evil.example",
    "\u3002evil.example", "//evil。example", "/\u200b/evil.example", "http://localhost@evil.example/",
]


def landing_host(location: str) -> str | None:
    """Where a browser goes for this Location header, read as the WHATWG URL standard reads it."""
    location = location.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14"
                              "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    location = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    target = urlsplit(urljoin(f"http://{HOST}/somewhere/page", location))
    if target.scheme not in ("http", "https"):
        return None  # javascript:, data: ... would run or show attacker content: never acceptable
    return target.hostname


def _assert_stays_home(response, attack: str) -> None:
    """Sent back to Sanaly, or refused outright (a NUL character is refused as a bad request)."""
    if response.status_code == 400 and "\x00" in attack:
        return
    assert response.status_code in (302, 303), (attack, response.status_code)
    assert landing_host(response.headers["Location"]) == HOST, (attack, response.headers["Location"])


@pytest.mark.parametrize("attack", ATTACKS)
def test_sign_in_never_sends_the_browser_elsewhere(client, attack):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": attack})
    _assert_stays_home(response, attack)


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_language_switch_never_sends_the_browser_elsewhere(client, attack):
    _assert_stays_home(client.post("/language", data={"locale": "ru", "next": attack}), attack)


def test_local_targets_are_still_followed(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "next": "/courses/sample-course?tab=1"})
    assert response.headers["Location"] == "/courses/sample-course?tab=1"
    assert client.post("/language", data={"locale": "en", "next": "/dashboard"}).headers["Location"] == "/dashboard"


def test_the_sign_in_page_carries_next_only_as_an_escaped_field(client):
    page = client.get('/login?next="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in page


_near_misses = st.sampled_from(["/", "//", "\\", "/\\", "\t", "\n", " ", "@", ":", "%2f", "%5c", ".", "\x00",
                                "evil.example", "http:", "javascript:", "\u3002", "\uff0f"])
targets = st.one_of(st.text(max_size=40), st.lists(_near_misses, max_size=8).map("".join),
                    st.tuples(st.lists(_near_misses, max_size=4).map("".join), st.text(max_size=10)).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=targets)
def test_whatever_next_holds_the_browser_stays_on_sanaly(client, target):
    if is_safe_redirect(target):
        assert landing_host(target) == HOST, target
    _assert_stays_home(client.post("/language", data={"locale": "kk", "next": target}), target)
