"""Many requests at once on one attempt, on SQLite and PostgreSQL: one grading, no lost answer, no error."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.db import db
from app.quizzes import authoring, services
from app.quizzes.models import Attempt, QuizStatus
from app.quizzes.quizspec import QuizSettings
from app.quizzes.rules import AttemptStatus
from tests.conftest import login, make_user

THREADS = 12


def published_quiz(questions: int):
    quiz = authoring.create_quiz(slug="busy", title={"kk": "Тест"}, settings=QuizSettings(pass_mark=50),
                                 status=QuizStatus.PUBLISHED)
    for number in range(questions):
        authoring.add_question(quiz, {"id": f"q{number}", "type": "truefalse", "answer": True,
                                      "prompt": {"kk": f"Сұрақ {number}"}}, actor=None)
    db.session.commit()
    return quiz


def at_once(app, user, requests) -> list[int]:
    """Send the requests from as many threads, each with its own signed-in client, all released together."""
    clients = []
    for _ in requests:
        client = app.test_client()
        login(client, user)
        clients.append(client)
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(client, request):
        try:
            barrier.wait()
            statuses.append(request(client).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, requests, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return statuses


@pytest.mark.db
def test_an_attempt_submitted_from_many_threads_is_graded_exactly_once(db_app, monkeypatch):
    published_quiz(3)
    user = make_user()
    client = db_app.test_client()
    login(client, user)
    attempt_id = int(client.post("/quizzes/busy/start").headers["Location"].split("/")[2].split("?")[0])
    client.post(f"/attempts/{attempt_id}", data={"page": 0, "q0": "true"})
    gradings: list[int] = []
    grade = services.grade_attempt

    def counting(attempt, *args, **kwargs):
        gradings.append(attempt.id)
        return grade(attempt, *args, **kwargs)

    monkeypatch.setattr(services, "grade_attempt", counting)
    statuses = at_once(db_app, user, [lambda c: c.post(f"/attempts/{attempt_id}/submit")] * THREADS)
    assert statuses == [302] * THREADS
    assert gradings == [attempt_id]
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status is AttemptStatus.GRADED and attempt.points == 1.0 and attempt.revision == 2


@pytest.mark.db
def test_pages_saved_at_once_from_several_tabs_all_keep_their_answers(db_app):
    published_quiz(THREADS)
    user = make_user()
    client = db_app.test_client()
    login(client, user)
    attempt_id = int(client.post("/quizzes/busy/start").headers["Location"].split("/")[2].split("?")[0])

    def save(page: int):
        return lambda c: c.post(f"/attempts/{attempt_id}/autosave", data={"page": page, f"q{page}": "true"})

    statuses = at_once(db_app, user, [save(page) for page in range(THREADS)])
    assert statuses == [200] * THREADS
    db.session.expire_all()
    answers = db.session.scalar(select(Attempt.answers).where(Attempt.id == attempt_id))
    assert answers == {str(page): "true" for page in range(THREADS)}


@pytest.mark.db
def test_two_starts_at_once_make_one_attempt(db_app):
    published_quiz(1)
    user = make_user()
    statuses = at_once(db_app, user, [lambda c: c.post("/quizzes/busy/start")] * 4)
    assert statuses == [302] * 4
    attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == user.id)).all()
    assert len(attempts) == 1
