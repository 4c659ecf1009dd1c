"""Passwords as OWASP ASVS 2.1 and 2.4 want them: at least 12 characters, any characters, long ones whole,
stored only as a memory-hard hash."""

from __future__ import annotations

import pytest

from app.accounts import services as accounts
from app.accounts.models import User
from app.db import db
from tests.conftest import PASSWORD, login, make_user


def _register(client, password: str):
    return client.post("/register", data={
        "email": "new@example.kz", "display_name": "N", "certificate_name": "N", "locale": "kk",
        "password": password, "password_confirm": password})


def _registered() -> User | None:
    db.session.rollback()
    return db.session.scalar(db.select(User).where(User.email == "new@example.kz"))


@pytest.mark.parametrize("password", ["x" * 11, "  short pw  "[:11]])
def test_a_password_under_twelve_characters_is_refused_everywhere(app, client, password):
    assert _register(client, password).status_code == 422 and _registered() is None
    user = make_user()
    login(client, user)
    changed = client.post("/account/password", data={"current_password": PASSWORD, "password": password,
                                                     "password_confirm": password})
    assert changed.status_code == 422
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    assert client.post(f"/reset/{token}", data={"password": password, "password_confirm": password}).status_code \
        == 422
    assert accounts.authenticate(user.email, PASSWORD) is not None


@pytest.mark.parametrize("password", ["twelve chars", "Құпия сөз ☕ 🔐 пароль", "  spaced  out  ", "é" * 200])
def test_any_characters_and_long_passwords_are_taken_whole(client, password):
    assert _register(client, password).status_code == 302
    assert accounts.authenticate("new@example.kz", password) is not None
    assert accounts.authenticate("new@example.kz", password[:-1]) is None


def test_a_password_over_the_limit_is_refused_not_cut(client):
    assert _register(client, "p" * 201).status_code == 422 and _registered() is None


def test_passwords_are_stored_as_salted_scrypt_hashes(app, client):
    del app.config["PASSWORD_HASH_METHOD"]  # the tests' cheap hashing, for speed: production's default instead
    _register(client, "twelve chars")
    other = make_user()
    stored = _registered().password_hash
    assert stored.startswith("scrypt:") and "twelve chars" not in stored
    assert other.password_hash != stored and accounts.authenticate(other.email, "twelve chars") is None
