"""Accounts through the browser's eyes: register, sign in and out, passwords."""

from __future__ import annotations

import re

from app.accounts import services
from app.accounts.models import User
from app.accounts.roles import Role
from app.db import db
from tests.conftest import PASSWORD, login, make_user


def register(client, **overrides):
    data = {
        "email": "aigerim@example.kz", "display_name": "Айгерім", "certificate_name": "Айгерім Сәрсенқызы",
        "locale": "kk", "password": "a long password", "password_confirm": "a long password",
    }
    data.update(overrides)
    return client.post("/register", data=data)


def test_register_creates_a_learner_signed_in_with_the_certificate_name_as_typed(client):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    user = db.session.scalar(db.select(User).where(User.email == "aigerim@example.kz"))
    assert user.role is Role.LEARNER
    assert user.certificate_name == "Айгерім Сәрсенқызы"
    assert user.password_hash != "a long password"
    assert client.get("/dashboard").status_code == 200


def test_register_rejects_bad_input_with_field_messages_and_saves_nothing(client):
    response = register(client, email="not-an-email", password="short", password_confirm="other")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_register_twice_with_the_same_email_is_refused(client):
    register(client)
    client.post("/logout")
    response = register(client, email="AIGERIM@example.kz")
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_sign_in_with_a_wrong_password_or_unknown_email_gives_the_same_answer(client):
    user = make_user()
    wrong_password = client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    unknown = client.post("/login", data={"email": "nobody@example.kz", "password": "nope nope nope"})
    assert wrong_password.status_code == unknown.status_code == 422

    def error_of(response):
        return re.search(r'class="error"[^>]*>([^<]*)<', response.get_data(as_text=True)).group(1)

    assert error_of(wrong_password) == error_of(unknown)


def test_sign_in_starts_a_new_session(client):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_in_follows_a_local_next_but_never_an_external_one(client):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": "/courses/x"})
    assert response.headers["Location"] == "/courses/x"
    client.post("/logout")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "next": target})
        assert response.headers["Location"].endswith("/dashboard"), target
        client.post("/logout")


def test_sign_out_makes_a_copied_session_cookie_worthless(app, client):
    user = make_user()
    login(client, user)
    with client.session_transaction() as session:
        stolen = dict(session)
    client.post("/logout")
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    assert thief.get("/dashboard").status_code == 302


def test_change_password_needs_the_current_one_and_then_works(client):
    user = make_user()
    login(client, user)
    refused = client.post("/account/password", data={
        "current_password": "wrong wrong wrong", "password": "new password 1", "password_confirm": "new password 1"})
    assert refused.status_code == 422
    done = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "new password 1", "password_confirm": "new password 1"})
    assert done.status_code == 302
    assert services.authenticate(user.email, "new password 1") is not None
    assert client.get("/dashboard").status_code == 200


def test_account_page_updates_names_and_language(client):
    user = make_user()
    login(client, user)
    response = client.post("/account", data={"display_name": "Ерлан", "certificate_name": "Ерлан Бекұлы",
                                              "locale": "ru"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.certificate_name, user.locale) == ("Ерлан", "Ерлан Бекұлы", "ru")


def _reset_link(caplog) -> str:
    match = re.search(r"https?://[^/\s]+(/reset/\S+)", caplog.text)
    assert match, caplog.text
    return match.group(1)


def test_password_reset_link_is_logged_works_once_and_signs_in(client, caplog):
    user = make_user()
    caplog.set_level("WARNING", logger="sanaly.mail")
    response = client.post("/forgot", data={"email": user.email})
    assert response.status_code == 302
    link = _reset_link(caplog)
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "brand new pass", "password_confirm": "brand new pass"})
    assert done.status_code == 302
    assert services.authenticate(user.email, "brand new pass") is not None
    client.post("/logout")
    assert client.get(link).status_code == 400
    reuse = client.post(link, data={"password": "another new pass", "password_confirm": "another new pass"})
    assert reuse.status_code == 400
    assert services.authenticate(user.email, "brand new pass") is not None


def test_password_reset_answers_the_same_for_unknown_emails_and_sends_nothing(client, caplog):
    caplog.set_level("WARNING", logger="sanaly.mail")
    response = client.post("/forgot", data={"email": "nobody@example.kz"}, follow_redirects=True)
    assert response.status_code == 200
    assert "/reset/" not in caplog.text


def test_password_reset_link_expires(app, client):
    user = make_user()
    token = services.make_reset_token(user, app.config["SECRET_KEY"])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(f"/reset/{token}").status_code == 400
    assert client.get("/reset/forged-token").status_code == 400


def test_sign_in_is_rate_limited(tmp_path, sqlite_template):
    import shutil

    from tests.conftest import _make_app

    path = tmp_path / "limited.db"
    shutil.copy(sqlite_template, path)
    app = _make_app(f"sqlite:///{path}", RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "x@example.kz", "password": "wrong password"}).status_code
                for _ in range(12)]
    assert statuses[0] == 422 and statuses[-1] == 429
