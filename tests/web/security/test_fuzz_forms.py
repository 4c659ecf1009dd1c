"""Every form of accounts, the site, progress, cohorts and the admin console, posted random values: any
Unicode (control characters and NUL included), markup, huge values, bytes that are not UTF-8, fields left out.
The answer is never a server error, and an answer that refuses the input leaves every table as it was.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (which refuses NUL characters that SQLite stores)."""

from __future__ import annotations

import io
import operator
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder

from app.accounts import services as accounts
from app.accounts.models import User
from app.accounts.roles import Role
from app.cohorts.models import Cohort, CohortMember
from app.db import db
from tests.conftest import PASSWORD, make_user
from tests.web.security.conftest import snapshot

EXAMPLES = int(os.environ.get("SANALY_FUZZ_EXAMPLES", "30"))  # per form and database; raise it for a long run
READING = "/courses/sample-course/modules/first/readings/alpha"

huge = st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(200, 200_000))
hostile = st.one_of(
    st.text(),  # any Unicode but lone surrogates, which no browser can send
    st.text(alphabet="\x00\x01\x1f\x7f\r\n\t <>\"'&;%\\/\u202e\ufeff\u0301", max_size=30),
    st.binary(max_size=80),  # sent as they are: not necessarily UTF-8
    huge,
)


def values(*plausible: str) -> st.SearchStrategy:
    """A field's value: sometimes one that could pass, often a hostile one, sometimes none at all."""
    choices = [hostile, st.none()]
    if plausible:
        choices.insert(0, st.sampled_from(plausible))
    return st.one_of(*choices)


@dataclass
class Form:
    """A form to fuzz: who posts it, where (built per example: tokens and ids change), and its fields."""

    role: Role | None
    path: Callable[[dict], str]
    fields: dict[str, st.SearchStrategy]
    files: dict[str, st.SearchStrategy] = field(default_factory=dict)
    setup: Callable[[dict], None] = lambda world: None


def _cohort(world: dict) -> None:
    cohort = Cohort(name="Fuzzed cohort")
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=world["learner"].id))
    db.session.commit()
    world["cohort"] = cohort.id


def _reset_token(world: dict) -> str:
    user = db.session.get(User, world["learner"].id)
    return accounts.make_reset_token(user, world["secret"])


LOCALES = ("kk", "ru", "en")
FORMS = {
    "login": Form(None, lambda w: "/login", {
        "email": values("learner@fuzz.kz", "LEARNER@fuzz.kz"), "password": values(PASSWORD),
        "next": values("/dashboard", "//evil.example")}),
    "register": Form(None, lambda w: "/register", {
        "email": values("new@fuzz.kz", "learner@fuzz.kz"), "display_name": values("Айгерім"),
        "certificate_name": values("Айгерім Сәрсенқызы"), "locale": values(*LOCALES),
        "password": values(PASSWORD), "password_confirm": values(PASSWORD)}),
    "forgot": Form(None, lambda w: "/forgot", {"email": values("learner@fuzz.kz")}),
    "reset": Form(None, lambda w: f"/reset/{_reset_token(w)}", {
        "password": values(PASSWORD), "password_confirm": values(PASSWORD)}),
    "language": Form(Role.LEARNER, lambda w: "/language", {"locale": values(*LOCALES), "next": values("/")}),
    "account": Form(Role.LEARNER, lambda w: "/account", {
        "display_name": values("Ерлан"), "certificate_name": values("Ерлан Бекұлы"), "locale": values(*LOCALES)}),
    "password": Form(Role.LEARNER, lambda w: "/account/password", {
        "current_password": values(PASSWORD), "password": values(PASSWORD), "password_confirm": values(PASSWORD)}),
    "mark read": Form(Role.LEARNER, lambda w: READING + "/read", {"how": values("end", "marked")}),
    "logout": Form(Role.LEARNER, lambda w: "/logout", {"next": values("/")}),
    "new cohort": Form(Role.ADMIN, lambda w: "/admin/cohorts/", {"name": values("Алматы 2026", "Fuzzed cohort")}),
    "cohort members": Form(Role.ADMIN, lambda w: f"/admin/cohorts/{w['cohort']}", {
        "emails": values("learner@fuzz.kz", "learner@fuzz.kz,\nnobody@fuzz.kz")},
        files={"csv_file": st.one_of(st.none(), st.binary(max_size=300), st.text().map(str.encode),
                                     st.just(b"email\nlearner@fuzz.kz\n"),
                                     st.builds(operator.mul, st.binary(min_size=1, max_size=4),
                                               st.integers(1000, 400_000)))},
        setup=_cohort),
    "remove member": Form(Role.ADMIN, lambda w: f"/admin/cohorts/{w['cohort']}/members/{w['learner'].id}/remove",
                          {"anything": values()}, setup=_cohort),
    "role": Form(Role.ADMIN, lambda w: f"/admin/users/{w['learner'].id}/role", {
        "role": values("learner", "trainer", "admin")}),
}


def _as_text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _post(client, path: str, fields: dict, files: dict):
    if not files:
        return client.post(path, data=urlencode(fields), content_type="application/x-www-form-urlencoded")
    data = {name: _as_text(v) for name, v in fields.items()}
    data.update({name: (io.BytesIO(content), "list.csv") for name, content in files.items()})
    environ = EnvironBuilder(path, method="POST", data=data, content_type="multipart/form-data").get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()  # the test client leaves a large encoded body's temporary file open


def _sign_in_as(client, user: User | None) -> None:
    """Put the account in the session directly: the fuzzed forms may sign it out or change its password."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = db.session.get(User, user.id).get_id()


@pytest.mark.parametrize("name", FORMS)
def test_random_input_never_breaks_a_form_nor_half_saves_it(db_app, name):
    form = FORMS[name]
    world = {"learner": make_user(email="learner@fuzz.kz"), "admin": make_user(Role.ADMIN, email="admin@fuzz.kz"),
             "secret": db_app.config["SECRET_KEY"]}
    form.setup(world)
    client = db_app.test_client()
    signed_in = {None: None, Role.LEARNER: world["learner"], Role.ADMIN: world["admin"]}[form.role]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.fixed_dictionaries(form.fields), st.fixed_dictionaries(form.files))
    def post_random_values(fields, files):
        fields = {k: v for k, v in fields.items() if v is not None}
        files = {k: v for k, v in files.items() if v is not None}
        _sign_in_as(client, signed_in)
        path = form.path(world)
        before = snapshot()
        response = _post(client, path, fields, files)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert snapshot() == before, f"{response.status_code} after a partial write"

    post_random_values()


HOSTILE_URLS = [
    "/admin/cohorts/99999999999999999999", "/admin/cohorts/9223372036854775808",
    "/admin/users?page=99999999999999999999", "/admin/users?q=%00", "/admin/users?q=" + "я" * 5000,
    "/admin/audit?action=%00&page=-1", "/trainer/courses/sample-course/progress?cohort=99999999999999999999",
    "/trainer/courses/sample-course/progress?cohort=-1&page=99999999999999999999&q=%00",
    "/trainer/courses/sample-course/progress.csv?cohort=99999999999999999999",
    "/courses/%00/modules/first", "/courses/sample-course/modules/%00", READING + "%00",
    "/courses/" + "x" * 5000, "/reset/%00", "/reset/" + "A" * 5000, "/courses/sample-course%ff/welcome",
]


def test_hostile_addresses_get_an_answer_never_a_server_error(db_app):
    client = db_app.test_client()
    _sign_in_as(client, make_user(Role.ADMIN))
    answers = {url: client.get(url).status_code for url in HOSTILE_URLS}
    answers.update({f"POST {url}": client.post(url, data={"role": "admin", "name": "x"}).status_code
                    for url in ("/admin/users/99999999999999999999/role", "/admin/cohorts/4294967296",
                                "/admin/cohorts/1/members/99999999999999999999/remove", "/courses/%00/x/y/z/read")})
    assert {url: status for url, status in answers.items() if status >= 500} == {}
    assert set(answers.values()) <= {200, 302, 400, 404, 405}


def test_a_cohort_csv_with_a_cell_too_long_for_the_csv_reader_gets_a_message(db_app):
    client = db_app.test_client()
    _sign_in_as(client, make_user(Role.ADMIN))
    world = {"learner": make_user()}
    _cohort(world)
    before = snapshot()
    response = client.post(f"/admin/cohorts/{world['cohort']}", content_type="multipart/form-data",
                           data={"csv_file": (io.BytesIO(b'"' + b"a" * 200_000 + b'@x.kz"'), "list.csv")})
    assert response.status_code == 422
    assert snapshot() == before


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(db_app):
    client = db_app.test_client()
    _sign_in_as(client, make_user(Role.ADMIN))
    world = {"learner": make_user()}
    _cohort(world)
    before = snapshot()
    too_big = b"learner@fuzz.kz\n" * (db_app.config["MAX_CONTENT_LENGTH"] // 16 + 1)
    response = _post(client, f"/admin/cohorts/{world['cohort']}", {}, {"csv_file": too_big})
    assert response.status_code == 413
    assert snapshot() == before
