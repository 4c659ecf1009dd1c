"""Cross-site request forgery: with Flask-WTF's protection on, as in production, a POST without the session's
token is refused (400) and changes nothing; the same POST with the token does what it says, so the refusal
is the token's doing and not bad data's."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.accounts import services as accounts
from app.accounts.models import User
from app.accounts.roles import Role
from app.cohorts.models import Cohort, CohortMember
from app.db import db
from app.progress.models import ReadingProgress
from tests.conftest import PASSWORD, make_user
from tests.web.security.conftest import CSRF_ON, csrf_token, sign_in, snapshot


@pytest.fixture
def app(app):
    """The shared app, with CSRF protection on as in production."""
    app.config.update(CSRF_ON)
    return app

READING = "/courses/sample-course/modules/first/readings/alpha"


@dataclass
class Forgery:
    """A POST a forger would like a signed-in (or not) victim's browser to send, and how to see it worked."""

    path: str
    data: dict
    done: Callable[[], bool]


def _user(email: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(db.select(User).where(User.email == email))


def _role_of(user: User) -> Role:
    return _user(user.email).role


def forge_login(app, client) -> Forgery:
    user = make_user()
    return Forgery("/login", {"email": user.email, "password": PASSWORD},
                   lambda: client.get("/dashboard").status_code == 200)


def forge_register(app, client) -> Forgery:
    password = "a long password"
    return Forgery("/register", {"email": "forged@example.kz", "display_name": "F", "certificate_name": "F",
                                 "locale": "kk", "password": password, "password_confirm": password},
                   lambda: _user("forged@example.kz") is not None)


class _Outbox(logging.Handler):
    """The e-mails the embedded default writes to the log."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(autouse=True)
def outbox():
    handler = _Outbox()
    logging.getLogger("sanaly.mail").addHandler(handler)
    yield handler
    logging.getLogger("sanaly.mail").removeHandler(handler)


def forge_forgot(app, client) -> Forgery:
    user = make_user()
    outbox = next(h for h in logging.getLogger("sanaly.mail").handlers if isinstance(h, _Outbox))
    return Forgery("/forgot", {"email": user.email}, lambda: any("/reset/" in m for m in outbox.messages))


def forge_reset(app, client) -> Forgery:
    user = make_user()
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    return Forgery(f"/reset/{token}", {"password": "chosen by forger", "password_confirm": "chosen by forger"},
                   lambda: accounts.authenticate(user.email, "chosen by forger") is not None)


def forge_logout(app, client) -> Forgery:
    sign_in(client, make_user())
    return Forgery("/logout", {}, lambda: client.get("/dashboard").status_code == 302)


def forge_account(app, client) -> Forgery:
    user = make_user()
    sign_in(client, user)
    return Forgery("/account", {"display_name": "Forged", "certificate_name": "Forged Name", "locale": "ru"},
                   lambda: _user(user.email).certificate_name == "Forged Name")


def forge_password_change(app, client) -> Forgery:
    user = make_user()
    sign_in(client, user)
    return Forgery("/account/password", {"current_password": PASSWORD, "password": "chosen by forger",
                                         "password_confirm": "chosen by forger"},
                   lambda: accounts.authenticate(user.email, "chosen by forger") is not None)


def forge_language(app, client) -> Forgery:
    user = make_user(locale="kk")
    sign_in(client, user)
    return Forgery("/language", {"locale": "en", "next": "/"}, lambda: _user(user.email).locale == "en")


def forge_role_change(app, client) -> Forgery:
    learner = make_user()
    sign_in(client, make_user(Role.ADMIN))
    return Forgery(f"/admin/users/{learner.id}/role", {"role": "admin"}, lambda: _role_of(learner) is Role.ADMIN)


def forge_cohort(app, client) -> Forgery:
    sign_in(client, make_user(Role.ADMIN))
    return Forgery("/admin/cohorts/", {"name": "Forged cohort"},
                   lambda: db.session.scalar(db.select(Cohort).where(Cohort.name == "Forged cohort")) is not None)


def _cohort_with(*users: User) -> Cohort:
    cohort = Cohort(name="Group")
    db.session.add(cohort)
    db.session.flush()
    db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=u.id) for u in users)
    db.session.commit()
    return cohort


def _members(cohort: Cohort) -> set[int]:
    db.session.rollback()
    return set(db.session.scalars(db.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))


def forge_cohort_members(app, client) -> Forgery:
    learner = make_user()
    cohort = _cohort_with()
    sign_in(client, make_user(Role.ADMIN))
    return Forgery(f"/admin/cohorts/{cohort.id}", {"emails": learner.email},
                   lambda: _members(cohort) == {learner.id})


def forge_cohort_removal(app, client) -> Forgery:
    learner = make_user()
    cohort = _cohort_with(learner)
    sign_in(client, make_user(Role.ADMIN))
    return Forgery(f"/admin/cohorts/{cohort.id}/members/{learner.id}/remove", {}, lambda: _members(cohort) == set())


def forge_mark_read(app, client) -> Forgery:
    user = make_user()
    sign_in(client, user)

    def done() -> bool:
        db.session.rollback()
        return db.session.scalar(db.select(ReadingProgress.read_at).where(ReadingProgress.user_id == user.id))
    return Forgery(READING + "/read", {}, done)


FORGERIES = [forge_login, forge_register, forge_forgot, forge_reset, forge_logout, forge_account,
             forge_password_change, forge_language, forge_role_change, forge_cohort, forge_cohort_members,
             forge_cohort_removal, forge_mark_read]


@pytest.mark.parametrize("forge", FORGERIES, ids=lambda f: f.__name__.removeprefix("forge_"))
def test_a_post_without_the_token_is_refused_and_changes_nothing_and_with_it_works(app, client, forge):
    forgery = forge(app, client)
    before = snapshot()
    refused = client.post(forgery.path, data=forgery.data)
    assert refused.status_code == 400
    assert not forgery.done()
    assert snapshot() == before
    accepted = client.post(forgery.path, data={**forgery.data, "csrf_token": csrf_token(client)})
    assert accepted.status_code in (200, 302), accepted.get_data(as_text=True)[:300]
    assert forgery.done()


@pytest.mark.parametrize("forge", [forge_account, forge_role_change, forge_language], ids=lambda f: f.__name__)
def test_a_token_from_another_session_or_a_made_up_one_is_refused(app, client, forge):
    forgery = forge(app, client)
    forgers_token = csrf_token(app.test_client())
    before = snapshot()
    for token in (forgers_token, "made-up", ""):
        assert client.post(forgery.path, data={**forgery.data, "csrf_token": token}).status_code == 400
    assert not forgery.done() and snapshot() == before


def _argument_for(converter) -> str:
    """A value the URL converter accepts: the token check comes before the view, so no object need exist."""
    for candidate in ("1", "sample-course", "0" * 64):
        if re.fullmatch(converter.regex, candidate):
            return candidate
    raise AssertionError(f"no sample value for {converter!r}")


def test_every_state_changing_route_of_the_app_refuses_a_request_without_the_token(app, client):
    sign_in(client, make_user(Role.ADMIN))
    adapter = app.url_map.bind("localhost")
    before = snapshot()
    checked = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            path = adapter.build(rule.endpoint, {name: _argument_for(conv) for name, conv in rule._converters.items()})
            response = client.open(path, method=method, data={"anything": "x"})
            assert response.status_code == 400, (rule.rule, method, response.status_code)
            checked.append(rule.endpoint)
    assert snapshot() == before
    assert {"accounts.login", "site.set_language", "admin.change_role", "cohorts.remove"} <= set(checked)
