"""What the attacks on the foundation share: CSRF tokens as a browser gets them, and a picture of the database."""

from __future__ import annotations

import re
import shutil

import pytest

from app.db import db
from tests.conftest import PASSWORD, _make_app

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
# Apps with Flask-WTF's CSRF protection switched on, as in production (the shared fixtures switch it off).
CSRF_ON = {"WTF_CSRF_ENABLED": True}
LIMITS_ON = {"RATELIMIT_ENABLED": True}


def csrf_token(client, path: str = "/") -> str:
    """The token a page hands this client's session, read from the page's form as a browser would."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def sign_in(client, user, password: str = PASSWORD):
    """Sign in through the form, token included, as a browser does when CSRF protection is on."""
    response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": csrf_token(
        client, "/login")})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def table_counts() -> dict[str, int]:
    db.session.rollback()  # read what requests committed, not a snapshot of an older transaction
    return {table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def snapshot() -> dict[str, list[str]]:
    """Every row of every table: equal snapshots mean a request changed nothing."""
    db.session.rollback()
    return {table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def make_app(tmp_path, sqlite_template):
    """Build an app with settings fixed at creation (such as TRUSTED_PROXIES), on its own database copy."""
    def build(**config):
        path = tmp_path / f"app{len(list(tmp_path.glob('app*.db')))}.db"
        shutil.copy(sqlite_template, path)
        return _make_app(f"sqlite:///{path}", **config)
    return build
