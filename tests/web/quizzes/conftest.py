"""Quizzes made for a test, and a learner taking them through the test client."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.db import db
from app.quizzes import authoring
from app.quizzes.models import Attempt, Quiz, QuizStatus
from app.quizzes.quizspec import QuizSettings


def texts(kk: str, ru: str | None = None, en: str | None = None) -> dict[str, str]:
    found = {"kk": kk}
    if ru:
        found["ru"] = ru
    if en:
        found["en"] = en
    return found


def single(slug: str = "single", right: str = "a", prompt: str = "Қай жауап дұрыс?") -> dict[str, Any]:
    return {"id": slug, "type": "single", "prompt": texts(prompt, en=f"Which is right ({slug})?"),
            "general_feedback": texts("Жалпы түсініктеме."),
            "options": [{"id": option, "text": texts(f"Нұсқа {option}", en=f"Option {option}"),
                         "correct": option == right, "feedback": texts(f"Түсініктеме {option}")}
                        for option in "abc"]}


def truefalse(slug: str = "statement", answer: bool = True) -> dict[str, Any]:
    return {"id": slug, "type": "truefalse", "answer": answer, "prompt": texts("Бұл рас па?"),
            "feedback_true": texts("Иә деп жауап бердіңіз."), "feedback_false": texts("Жоқ деп жауап бердіңіз.")}


def essay(slug: str = "essay", points: float = 2) -> dict[str, Any]:
    return {"id": slug, "type": "essay", "points": points, "prompt": texts("Лид жазыңыз."),
            "rubric_hint": texts("Фактілер мен дереккөз.")}


@pytest.fixture
def make_quiz(app):
    """A published quiz with the given question definitions (no shuffling unless asked)."""

    def _make(questions: list[dict[str, Any]], *, slug: str = "test-quiz", per_page: int = 1,
              status: QuizStatus = QuizStatus.PUBLISHED, pass_mark: float = 50, **settings: Any) -> Quiz:
        quiz = authoring.create_quiz(slug=slug, title=texts("Сынақ тест", en="Test quiz"),
                                     settings=QuizSettings(pass_mark=pass_mark, **settings),
                                     questions_per_page=per_page, status=status)
        for definition in questions:
            authoring.add_question(quiz, definition, actor=None)
        db.session.commit()
        return quiz

    return _make


def start(client, slug: str) -> int:
    response = client.post(f"/quizzes/{slug}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    match = re.match(r"/attempts/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def answer(client, attempt_id: int, page: int, go: str | int | None = None, **fields: Any):
    data: dict[str, Any] = {"page": page, **fields}
    if go is not None:
        data["go"] = str(go)
    return client.post(f"/attempts/{attempt_id}", data=data)


def attempt_row(attempt_id: int) -> Attempt:
    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def page_text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def login_as(client):
    """As the shared fixture, with English as the account's language: these tests read the English pages."""
    from tests.conftest import login, make_user

    def _login_as(role=None, **fields):
        from app.accounts.roles import Role

        fields.setdefault("locale", "en")
        user = make_user(role or Role.LEARNER, **fields)
        login(client, user)
        return user
    return _login_as
