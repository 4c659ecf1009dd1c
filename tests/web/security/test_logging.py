"""What the logs keep: one line per request that nobody can forge through the address, and never a secret."""

from __future__ import annotations

import logging

from app.accounts import services as accounts
from tests.conftest import PASSWORD, login, make_user


def test_a_crafted_path_cannot_write_a_line_of_its_own_into_the_log(client, caplog):
    caplog.set_level("INFO", logger="sanaly.request")
    client.get("/nothing%0A2026-01-01 00:00:00,000 INFO sanaly.request [x] POST /admin/users/1/role 302 1.0ms")
    client.get("/nothing%0D%1B[31m%00")
    lines = [r.getMessage() for r in caplog.records if r.name == "sanaly.request"]
    assert len(lines) == 2
    assert not any(c in line for line in lines for c in "\n\r\x1b\x00")
    assert "\\x0a2026-01-01" in lines[0]


def test_no_password_nor_reset_link_reaches_the_request_logs_at_any_level(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user()
    login(client, user)
    client.post("/account/password", data={"current_password": PASSWORD, "password": "a brand new one!",
                                           "password_confirm": "a brand new one!"})
    client.post("/logout")
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    client.post(f"/reset/{token}", data={"password": "yet another one!", "password_confirm": "yet another one!"})
    text = caplog.text + " ".join(str(getattr(r, "fields", "")) for r in caplog.records)
    for secret in (PASSWORD, "a brand new one!", "yet another one!", token):
        assert secret not in text
