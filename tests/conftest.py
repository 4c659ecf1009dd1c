"""Shared fixtures: an app per test on a copy of a prepared SQLite database, users, sign-in, query counts."""

from __future__ import annotations

import contextvars
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_INSTANCE = tempfile.mkdtemp(prefix="sanaly-test-instance-")
os.environ["SANALY_INSTANCE"] = _INSTANCE
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from flask import has_app_context  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts import services as accounts  # noqa: E402
from app.accounts.roles import Role  # noqa: E402
from app.courseware.reader import read_courseware  # noqa: E402
from app.courseware.store import store_course  # noqa: E402
from app.db import db  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_COURSEWARE = FIXTURES / "courseware"
PASSWORD = "correct horse battery"
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "COURSEWARE_PATH": str(SAMPLE_COURSEWARE),
    "SERVER_NAME": "localhost",
    # Production hashes with scrypt; the tests create thousands of accounts, so they use a cheap setting.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


def load_sample_course() -> None:
    courses, report = read_courseware(SAMPLE_COURSEWARE)
    assert report.ok, [str(e) for e in report.errors]
    for course in courses:
        store_course(course)
    db.session.commit()


def build_database(url: str) -> None:
    """Create the schema and load the sample course into an empty database."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_sample_course()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sanaly.db"
    build_database(f"sqlite:///{path}")
    return path


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as under a real server.

    Tests hold an app context open for their own database work; without this the
    requests would share it (and its session and cached locale) with the test.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # a streamed body is read inside the request's own context
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test sees what the request wrote
        return response


def _make_app(url: str, **overrides):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **overrides})
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app(tmp_path, sqlite_template, request):
    """A fresh app on its own copy of the prepared SQLite database."""
    path = tmp_path / "sanaly.db"
    shutil.copy(sqlite_template, path)
    overrides = getattr(request, "param", {}) or {}
    app = _make_app(f"sqlite:///{path}", **overrides)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def database_urls() -> list:
    urls = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("TEST_DATABASE_URL"):
        urls.append(pytest.param(os.environ["TEST_DATABASE_URL"], id="postgresql"))
    return urls


@pytest.fixture(params=database_urls())
def db_app(request, tmp_path, sqlite_template):
    """The app on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "sanaly.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.param
        build_database(url)
    app = _make_app(url)
    with app.app_context():
        yield app
        db.session.remove()
        if request.param != "sqlite":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def make_user(role: Role = Role.LEARNER, email: str | None = None, **fields):
    """Create and commit an account; the password is PASSWORD."""
    count = make_user.counter = getattr(make_user, "counter", 0) + 1
    user = accounts.create_user(
        email=email or f"{role.value}{count}@example.kz",
        password=PASSWORD,
        display_name=fields.pop("display_name", f"{role.value.title()} {count}"),
        certificate_name=fields.pop("certificate_name", None),
        locale=fields.pop("locale", "kk"),
        role=role,
    )
    db.session.commit()
    return user


def login(client, user, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.data[:500]
    return response


@pytest.fixture
def login_as(client):
    def _login_as(role: Role = Role.LEARNER, **fields):
        user = make_user(role, **fields)
        login(client, user)
        return user
    return _login_as


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
    return counting
