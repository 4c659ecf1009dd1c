"""Sessions: a session planted before sign-in is worthless after it, signing out (or changing the password)
ends every copy of the session, and the cookies carry the flags that keep scripts and other sites out."""

from __future__ import annotations

import pytest

from app.accounts import services as accounts
from tests.conftest import PASSWORD, make_user
from tests.web.security.conftest import CSRF_ON, csrf_token, sign_in


@pytest.fixture
def app(app):
    """The shared app, with CSRF protection on as in production."""
    app.config.update(CSRF_ON)
    return app


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _client_with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_sign_in_replaces_a_planted_session_and_its_csrf_token(app, client):
    """Session fixation: the attacker's pre-sign-in cookie and token are worth nothing once the victim signs in."""
    user = make_user()
    planted_token = csrf_token(client, "/login")
    planted_cookie = _session_cookie(client)
    assert planted_cookie
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": planted_token})
    assert client.get("/dashboard").status_code == 200
    assert _session_cookie(client) != planted_cookie
    attacker = _client_with_cookie(app, planted_cookie)
    assert attacker.get("/dashboard").status_code == 302
    refused = client.post("/account", data={"display_name": "X", "certificate_name": "X", "locale": "kk",
                                            "csrf_token": planted_token})
    assert refused.status_code == 400


def test_a_get_on_logout_only_asks_so_a_link_or_image_cannot_sign_anyone_out(client):
    sign_in(client, make_user())
    assert client.get("/logout").status_code == 200
    assert client.get("/dashboard").status_code == 200


def test_sign_out_ends_every_copy_of_the_session_even_one_signed_in_elsewhere(app, client):
    user = make_user()
    sign_in(client, user)
    stolen = _session_cookie(client)
    phone = app.test_client()
    sign_in(phone, user)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/dashboard").status_code == 302
    assert _client_with_cookie(app, stolen).get("/dashboard").status_code == 302
    assert phone.get("/dashboard").status_code == 302


def test_a_password_change_keeps_this_session_and_ends_all_others(app, client):
    user = make_user()
    sign_in(client, user)
    other = app.test_client()
    sign_in(other, user)
    stolen = _session_cookie(other)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "a new password", "password_confirm": "a new password",
        "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert _client_with_cookie(app, stolen).get("/dashboard").status_code == 302


def test_a_password_reset_ends_every_session_of_the_account(app, client):
    user = make_user()
    thief = app.test_client()
    sign_in(thief, user)
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    response = client.post(f"/reset/{token}", data={
        "password": "a new password", "password_confirm": "a new password",
        "csrf_token": csrf_token(client, f"/reset/{token}")})
    assert response.status_code == 302
    assert thief.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_a_forged_or_tampered_session_cookie_signs_nobody_in(app, client):
    user = make_user()
    sign_in(client, user)
    value = _session_cookie(client)
    payload, _, signature = value.rpartition(".")
    for forged in (payload + "." + signature[::-1], "e30.AAAAAA.bad", f"{user.id}.0"):
        assert _client_with_cookie(app, forged).get("/dashboard").status_code == 302


def test_session_cookie_is_httponly_samesite_and_no_remember_me_cookie_is_set(client):
    response = sign_in(client, make_user())
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/" in session
    assert "Expires" not in session  # gone when the browser closes
    assert not any(c.startswith("remember_token=") for c in cookies)


def test_with_secure_cookies_on_the_session_cookie_is_sent_over_https_only(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user()
    token = csrf_token(client, "https://localhost/login")
    login = client.post("/login", base_url="https://localhost", headers={"Referer": "https://localhost/login"},
                        data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert login.status_code == 302
    session = next(c for c in login.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in session


def test_session_cookies_are_secure_by_default_when_the_public_address_is_https(monkeypatch):
    from app.config import load_config

    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("BASE_URL", "https://sanaly.example")
    assert load_config()["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:5000")
    assert load_config()["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    assert load_config()["SESSION_COOKIE_SECURE"] is True


def test_the_language_cookie_is_httponly_samesite_and_secure_over_https(client):
    response = client.post("/language", data={"locale": "ru", "csrf_token": csrf_token(client)})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    response = client.post("/language", base_url="https://localhost", headers={"Referer": "https://localhost/"},
                           data={"locale": "ru", "csrf_token": csrf_token(client, "https://localhost/")})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert "Secure" in cookie
