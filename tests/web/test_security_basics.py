"""Every route declares its audience; headers and CSRF protect every page."""

from __future__ import annotations

from app.security import access_of
from tests.conftest import TEST_CONFIG


def test_every_endpoint_declares_who_may_call_it(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_of(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == []


def test_pages_carry_a_strict_content_security_policy_and_other_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_pages_have_no_inline_script(client):
    page = client.get("/login").get_data(as_text=True)
    assert "<script>" not in page and "onclick=" not in page


def test_a_post_without_csrf_token_is_refused(tmp_path, sqlite_template):
    import shutil

    from app import create_app

    path = tmp_path / "csrf.db"
    shutil.copy(sqlite_template, path)
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    response = app.test_client().post("/login", data={"email": "a@example.kz", "password": "whatever123"})
    assert response.status_code == 400


def test_session_cookie_is_httponly_and_samesite(client):
    from tests.conftest import login, make_user

    response = login(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
