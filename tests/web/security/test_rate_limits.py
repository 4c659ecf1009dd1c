"""Brute force: sign-in, registration, reset requests and reset links share a budget per account tried from an
address (10 a minute, 50 an hour) and a larger one per address (60 a minute, 300 an hour), so a classroom behind
one router can still sign in; past a budget the answer is 429 until the window passes. Reading the forms costs
nothing."""

from __future__ import annotations

import pytest

from app.accounts import services as accounts
from tests.conftest import PASSWORD, make_user
from tests.web.security.conftest import LIMITS_ON

limited = pytest.mark.parametrize("app", [LIMITS_ON], indirect=True)

PER_MINUTE = 10
WRONG = {"email": "someone@example.kz", "password": "wrong password"}


def _spend(client, count: int, path: str = "/login", data: dict | None = None) -> list[int]:
    return [client.post(path, data=data if data is not None else WRONG).status_code for _ in range(count)]


@limited
def test_reset_requests_are_limited(client):
    statuses = _spend(client, PER_MINUTE + 1, "/forgot", {"email": "someone@example.kz"})
    assert set(statuses[:PER_MINUTE]) == {302} and statuses[-1] == 429


@limited
def test_guessing_reset_links_is_limited(client):
    statuses = _spend(client, PER_MINUTE + 1, "/reset/guessed-token", {"password": "x" * 12})
    assert set(statuses[:PER_MINUTE]) == {400} and statuses[-1] == 429


@limited
def test_registrations_are_limited(client):
    statuses = _spend(client, PER_MINUTE + 1, "/register", {"email": "bad"})
    assert set(statuses[:PER_MINUTE]) == {422} and statuses[-1] == 429


@limited
def test_the_budget_is_shared_so_switching_form_does_not_reset_it(app, client):
    user = make_user()
    _spend(client, PER_MINUTE, data={"email": user.email, "password": "wrong password"})
    assert client.post("/forgot", data={"email": user.email}).status_code == 429
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 429
    assert accounts.authenticate(user.email, PASSWORD) is not None


@limited
def test_the_refusal_says_when_to_retry_in_the_users_language(client):
    _spend(client, PER_MINUTE)
    refused = client.post("/login", data=WRONG, headers={"Accept-Language": "ru"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = refused.get_data(as_text=True)
    assert '<html lang="ru"' in page and "Content-Security-Policy" in refused.headers


@limited
def test_another_client_address_has_its_own_budget(client):
    _spend(client, PER_MINUTE + 1)
    elsewhere = client.post("/login", data=WRONG, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert elsewhere.status_code == 422


@limited
def test_opening_the_forms_does_not_spend_the_budget(client):
    for path in ("/login", "/register", "/forgot", "/reset/some-token") * 5:
        assert client.get(path).status_code in (200, 400)
    assert client.post("/login", data=WRONG).status_code == 422


@limited
def test_a_made_up_forwarded_for_header_buys_no_new_budget(client):
    _spend(client, PER_MINUTE)
    assert client.post("/login", data=WRONG, headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 429


def test_behind_a_trusted_proxy_each_client_it_forwards_has_its_own_budget(make_app):
    """Else every client would share the proxy's address, and ten wrong passwords would lock everyone out."""
    client = make_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1).test_client()
    first = [client.post("/login", data=WRONG, headers={"X-Forwarded-For": "198.51.100.1"}).status_code
             for _ in range(PER_MINUTE + 1)]
    assert first[-1] == 429
    assert client.post("/login", data=WRONG, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 422
    # a client cannot add its own address in front of what the proxy appended
    forged = client.post("/login", data=WRONG, headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.1"})
    assert forged.status_code == 429


@limited
def test_a_classroom_behind_one_address_signs_in(client):
    learners = [make_user() for _ in range(30)]
    for learner in learners:
        client.post("/login", data={"email": learner.email, "password": "wrong password"})  # a typo first
        assert client.post("/login", data={"email": learner.email, "password": PASSWORD}).status_code == 302
        client.post("/logout")


@limited
def test_one_address_trying_many_accounts_is_stopped(client):
    statuses = [client.post("/login", data={"email": f"guess{i}@example.kz", "password": "wrong password"}
                            ).status_code for i in range(61)]
    assert statuses[0] == 422 and statuses[-1] == 429
