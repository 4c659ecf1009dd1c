"""Password-reset links: signed, expiring, single-use, sent only to the account's address, and never written
anywhere but the e-mail (tests/web/test_accounts.py walks the ordinary reset)."""

from __future__ import annotations

import re

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.accounts import services as accounts
from tests.conftest import PASSWORD, login, make_user

NEW = {"password": "brand new pass", "password_confirm": "brand new pass"}


@pytest.fixture
def clock(monkeypatch):
    """Move the reset links' clock: itsdangerous stamps and checks tokens with TimestampSigner.get_timestamp."""
    now = {"t": 1_900_000_000}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now["t"])
    return now


def test_a_link_works_until_its_hour_is_up_and_not_a_second_after(app, client, clock):
    user = make_user()
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    clock["t"] += app.config["PASSWORD_RESET_MAX_AGE"]
    assert client.get(f"/reset/{token}").status_code == 200
    clock["t"] += 1
    assert client.get(f"/reset/{token}").status_code == 400
    assert client.post(f"/reset/{token}", data=NEW).status_code == 400
    assert accounts.authenticate(user.email, PASSWORD) is not None


def test_a_link_dies_once_the_password_changes_by_any_route(app, client):
    user = make_user()
    first = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    second = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    assert client.post(f"/reset/{first}", data=NEW).status_code == 302
    assert client.post(f"/reset/{second}", data={"password": "x" * 12, "password_confirm": "x" * 12}).status_code \
        == 400
    third = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    client.post("/account/password", data={"current_password": NEW["password"], "password": "changed again!",
                                           "password_confirm": "changed again!"})
    assert client.get(f"/reset/{third}").status_code == 400
    assert accounts.authenticate(user.email, "changed again!") is not None


def test_a_link_cannot_be_forged_or_pointed_at_another_account(app, client):
    victim, attacker = make_user(), make_user()
    genuine = accounts.make_reset_token(attacker, app.config["SECRET_KEY"])
    payload, _, rest = genuine.partition(".")
    forged_payload = URLSafeTimedSerializer("x").dump_payload({"u": victim.id, "p": "0" * 16}).decode()
    other_key = URLSafeTimedSerializer("not the app's key", salt="sanaly.password-reset").dumps(
        {"u": victim.id, "p": accounts._password_fingerprint(victim)})
    for token in (f"{forged_payload}.{rest}", other_key, genuine[:-2], "", "." * 3):
        assert client.post(f"/reset/{token}", data=NEW).status_code in (400, 404), token
    assert accounts.authenticate(victim.email, PASSWORD) is not None


def test_the_emailed_link_points_at_the_configured_address_whatever_host_the_request_named(app, client, caplog):
    """Host-header poisoning: a reset asked for through a forged Host must not e-mail a link to that host."""
    app.config["SERVER_NAME"] = None  # as in production, where the request names the host
    user = make_user()
    caplog.set_level("WARNING", logger="sanaly.mail")
    client.post("/forgot", data={"email": user.email}, base_url="http://evil.example",
                headers={"X-Forwarded-Host": "evil.example"})
    links = re.findall(r"\S+/reset/\S+", caplog.text)
    assert len(links) == 1
    assert links[0].startswith(app.config["BASE_URL"] + "/reset/")
    assert "evil.example" not in caplog.text


def test_the_answer_to_a_reset_request_is_the_same_for_known_and_unknown_addresses(client):
    user = make_user()
    known = client.post("/forgot", data={"email": user.email})
    unknown = client.post("/forgot", data={"email": "nobody@example.kz"})
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])


def test_the_request_log_never_holds_a_live_reset_link(app, client, caplog):
    user = make_user()
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    caplog.set_level("INFO", logger="sanaly.request")
    client.get(f"/reset/{token}")
    client.post(f"/reset/{token}", data={"password": "short", "password_confirm": "short"})
    request_lines = [r.getMessage() for r in caplog.records if r.name == "sanaly.request"]
    assert len(request_lines) == 2 and all("/reset/" in line for line in request_lines)
    assert token not in caplog.text
    assert not any(token in str(getattr(r, "fields", "")) for r in caplog.records)


def test_the_reset_page_tells_browsers_not_to_pass_its_address_on(app, client):
    token = accounts.make_reset_token(make_user(), app.config["SECRET_KEY"])
    page = client.get(f"/reset/{token}")
    assert page.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    assert "http://" not in page.get_data(as_text=True).replace("http://www.w3.org", "")


def test_a_reset_while_signed_in_as_someone_else_resets_only_the_links_owner(app, client):
    owner, bystander = make_user(), make_user()
    login(client, bystander)
    token = accounts.make_reset_token(owner, app.config["SECRET_KEY"])
    assert client.post(f"/reset/{token}", data=NEW).status_code == 302
    assert accounts.authenticate(owner.email, NEW["password"]) is not None
    assert accounts.authenticate(bystander.email, PASSWORD) is not None
