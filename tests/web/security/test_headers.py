"""Security headers on every kind of response, and pages a strict Content-Security-Policy can serve whole:
no inline script or style anywhere."""

from __future__ import annotations

import re

import pytest

from app.accounts.roles import Role
from app.security import public
from tests.conftest import login, make_user

COURSE = "/courses/sample-course"
READING = COURSE + "/modules/first/readings/alpha"


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


def _assert_protected(response) -> None:
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert not any(v in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:") for vs in csp.values() for v in vs)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored, and wrong on a LAN


@pytest.fixture
def failing_route(app):
    """A route that fails, to see what a server error shows (the test app otherwise re-raises errors)."""
    def boom():
        raise RuntimeError("a secret detail: postgresql://user:hunter2@db/sanaly")
    app.add_url_rule("/boom", "boom", public(boom))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return "/boom"


def test_every_kind_of_response_carries_the_headers(client, failing_route):
    responses = {
        "page": client.get("/"),
        "json": client.get("/healthz"),
        "redirect": client.get("/dashboard"),
        "static": client.get("/static/css/sanaly.css"),
        "not found": client.get("/no/such/page"),
        "wrong method": client.get("/language"),
        "server error": client.get(failing_route),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 302, 200, 404, 405, 500]
    for kind, response in responses.items():
        try:
            _assert_protected(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{kind}: {error!r}") from error


def test_a_server_error_page_shows_no_detail_of_the_failure(client, failing_route):
    page = client.get(failing_route, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="ru"' in page
    assert "hunter2" not in page and "RuntimeError" not in page and "Traceback" not in page


def test_hsts_is_sent_over_https_only_for_a_long_time_and_subdomains(client):
    for path in ("/", "/dashboard", "/no/such/page"):
        hsts = client.get(path, base_url="https://localhost").headers["Strict-Transport-Security"]
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= 365 * 24 * 3600 and "includeSubDomains" in hsts
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_behind_a_tls_proxy_only_when_the_proxy_is_trusted(client, make_app):
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in client.get("/", headers=forwarded).headers
    proxied = make_app(TRUSTED_PROXIES=1).test_client()
    assert "Strict-Transport-Security" in proxied.get("/", headers=forwarded).headers
    assert "Strict-Transport-Security" not in proxied.get("/").headers


def test_a_403_and_a_csrf_refusal_carry_the_headers_too(app, client):
    login(client, make_user())
    _assert_protected(client.get("/admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/language", data={"locale": "ru"})
    assert refused.status_code == 400
    _assert_protected(refused)


def test_signed_in_pages_are_kept_out_of_caches_and_public_ones_and_files_are_not(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(client, make_user())
    for path in ("/dashboard", "/account", "/", READING):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/css/sanaly.css").headers.get("Cache-Control", "")


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _foundation_pages(role: Role | None) -> list[str]:
    pages = ["/", "/login", "/register", "/forgot", "/logout", "/reset/not-a-token", "/no/such/page",
             COURSE + "/welcome", COURSE + "/glossary", COURSE + "/modules/first", READING]
    if role is not None:
        pages += ["/dashboard", "/account", "/account/password", COURSE + "/progress"]
    if role is Role.ADMIN:
        pages += ["/trainer", "/admin", "/admin/users", "/admin/audit", "/admin/cohorts/",
                  "/trainer/courses/sample-course/progress"]
    return pages


@pytest.mark.parametrize("role", [None, Role.LEARNER, Role.ADMIN], ids=["anonymous", "learner", "admin"])
def test_foundation_pages_hold_no_inline_script_style_or_handler(client, role):
    if role is not None:
        login(client, make_user(role))
    for path in _foundation_pages(role):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        found = INLINE.findall(response.get_data(as_text=True))
        assert found == [], (path, found)
