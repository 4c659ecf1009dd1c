"""A learner takes a quiz: start, answer page by page, leave and come back, submit once, see the result."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.accounts.roles import Role
from app.audit.models import AuditEntry
from app.db import db, utcnow
from app.quizzes.models import Attempt, QuizStatus
from app.quizzes.rules import AttemptStatus
from tests.conftest import login, make_user
from tests.web.quizzes.conftest import answer, attempt_row, essay, page_text, single, start, truefalse

MODULE = "/courses/sample-course/modules/first"


def test_the_module_page_shows_its_quiz_and_invites_visitors_to_sign_in(client):
    page = page_text(client.get(MODULE))
    assert "Бірінші модуль тесті" in page and "/login?next=/quizzes/first" in page
    login(client, make_user(locale="en"))
    page = page_text(client.get(MODULE))
    assert 'href="/quizzes/first"' in page and "Not started." in page


def test_a_learner_completes_the_first_module_quiz_without_javascript(client, login_as):
    login_as(locale="en")
    attempt_id = start(client, "first")
    first_page = page_text(client.get(f"/attempts/{attempt_id}"))
    assert "Which headline is <strong>calm</strong>?" in first_page and 'name="q0"' in first_page
    assert answer(client, attempt_id, 0, go=1, q0="calm").headers["Location"].startswith(
        f"/attempts/{attempt_id}?page=1")
    answer(client, attempt_id, 1, go=2, q1=["police", "prosecutor"])
    response = answer(client, attempt_id, 2, go="finish", q2="false")
    assert response.headers["Location"] == f"/attempts/{attempt_id}/finish"
    summary = page_text(client.get(response.headers["Location"]))
    assert summary.count("Answered") == 3 and "Not answered" not in summary
    response = client.post(f"/attempts/{attempt_id}/submit")
    assert response.headers["Location"] == f"/attempts/{attempt_id}/review"
    review = page_text(client.get(response.headers["Location"]))
    assert "Score: 3 of 3 points (100%)" in review and "Passed" in review
    assert "Accurate and calm." in review  # the explanation of the option picked
    assert "Correct answer" not in review  # correct answers wait for the last attempt
    attempt = attempt_row(attempt_id)
    assert (attempt.status, attempt.passed, attempt.marks) == (AttemptStatus.GRADED, True, [1.0, 1.0, 1.0])
    assert "✓ Passed" in page_text(client.get(MODULE))


def test_answers_are_saved_on_every_page_and_the_attempt_resumes_where_the_learner_left(client, login_as):
    login_as()
    attempt_id = start(client, "first")
    answer(client, attempt_id, 0, go=1, q0="panic")
    answer(client, attempt_id, 1, go=1, q1=["rumour"])
    assert attempt_row(attempt_id).answers == {"0": "panic", "1": ["rumour"]}
    # the learner leaves, comes back through the quiz page and lands on the page they were on
    quiz_page = page_text(client.get("/quizzes/first"))
    assert f"/attempts/{attempt_id}" in quiz_page
    assert start(client, "first") == attempt_id
    resumed = page_text(client.get(f"/attempts/{attempt_id}"))
    assert 'value="rumour"\n              checked' in resumed or 'value="rumour" checked' in " ".join(resumed.split())
    back = page_text(client.get(f"/attempts/{attempt_id}?page=0"))
    assert 'value="panic" checked' in " ".join(back.split())


def test_autosave_takes_answers_as_json_and_refuses_them_once_submitted(client, login_as):
    login_as()
    attempt_id = start(client, "first")
    response = client.post(f"/attempts/{attempt_id}/autosave", data={"page": 0, "q0": "calm"})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert attempt_row(attempt_id).answers == {"0": "calm"}
    client.post(f"/attempts/{attempt_id}/submit")
    late = client.post(f"/attempts/{attempt_id}/autosave", data={"page": 0, "q0": "panic"})
    assert late.status_code == 409 and late.get_json() == {
        "saved": False, "closed": True, "review": f"/attempts/{attempt_id}/review"}
    assert attempt_row(attempt_id).answers == {"0": "calm"}
    assert client.post(f"/attempts/{attempt_id}/autosave", data={"page": "x"}).status_code == 400


def test_submitting_twice_grades_once_and_shows_the_same_result(client, login_as):
    login_as()
    attempt_id = start(client, "first")
    answer(client, attempt_id, 0, q0="calm")
    first = client.post(f"/attempts/{attempt_id}/submit")
    graded = attempt_row(attempt_id)
    graded_at, revision = graded.graded_at, graded.revision
    second = client.post(f"/attempts/{attempt_id}/submit")
    assert first.headers["Location"] == second.headers["Location"] == f"/attempts/{attempt_id}/review"
    again = attempt_row(attempt_id)
    assert (again.graded_at, again.revision, again.percent) == (graded_at, revision, graded.percent)
    # a page sent from another tab after the submit saves nothing and shows the result
    late = answer(client, attempt_id, 0, go=1, q0="panic")
    assert late.headers["Location"] == f"/attempts/{attempt_id}/review"
    assert attempt_row(attempt_id).answers == {"0": "calm"}


def test_the_server_enforces_the_number_of_attempts(client, login_as, make_quiz):
    make_quiz([single()], attempts=1)
    user = login_as()
    attempt_id = start(client, "test-quiz")
    client.post(f"/attempts/{attempt_id}/submit")
    response = client.post("/quizzes/test-quiz/start", follow_redirects=True)
    assert "You have used all your attempts at this quiz." in page_text(response)
    count = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == user.id))
    assert count == 1


def test_an_overdue_attempt_is_submitted_with_what_was_saved_on_the_next_request(client, login_as, make_quiz):
    make_quiz([single(), truefalse()], time_limit_minutes=10)
    login_as()
    attempt_id = start(client, "test-quiz")
    page = page_text(client.get(f"/attempts/{attempt_id}"))
    assert "Time left:" in page and 'data-seconds-left="' in page
    answer(client, attempt_id, 0, go=1, q0="a")
    past = utcnow() - timedelta(minutes=11)
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id).values(started_at=past - timedelta(minutes=10),
                                                                             deadline=past))
    db.session.commit()
    late = answer(client, attempt_id, 1, go="finish", q1="true")  # too late: not saved
    assert late.headers["Location"] == f"/attempts/{attempt_id}/review"
    attempt = attempt_row(attempt_id)
    assert attempt.status is AttemptStatus.GRADED and attempt.answers == {"0": "a"} and attempt.percent == 50
    assert "The time is up. Your saved answers were submitted." in page_text(client.get(late.headers["Location"]))


def test_an_overdue_attempt_is_closed_when_the_learner_only_looks_at_it(client, login_as, make_quiz):
    make_quiz([single()], time_limit_minutes=5)
    login_as()
    attempt_id = start(client, "test-quiz")
    db.session.execute(update(Attempt).where(Attempt.id == attempt_id)
                       .values(deadline=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(f"/attempts/{attempt_id}").headers["Location"] == f"/attempts/{attempt_id}/review"
    assert attempt_row(attempt_id).status is AttemptStatus.GRADED


def test_a_learner_never_reaches_another_learners_attempt(client, login_as):
    owner = make_user()
    login(client, owner)
    attempt_id = start(client, "first")
    client.post("/logout")
    login_as()
    for method, url in [("get", f"/attempts/{attempt_id}"), ("post", f"/attempts/{attempt_id}"),
                        ("post", f"/attempts/{attempt_id}/autosave"), ("get", f"/attempts/{attempt_id}/finish"),
                        ("post", f"/attempts/{attempt_id}/submit"), ("get", f"/attempts/{attempt_id}/review")]:
        assert getattr(client, method)(url, data={"page": 0}).status_code == 404, url
    assert attempt_row(attempt_id).status is AttemptStatus.IN_PROGRESS


def test_signed_out_visitors_are_sent_to_sign_in_and_drafts_do_not_exist_for_learners(client, make_quiz):
    assert client.get("/quizzes/first").status_code == 302
    make_quiz([single()], status=QuizStatus.DRAFT)
    make_user_and_login = make_user()
    login(client, make_user_and_login)
    assert client.get("/quizzes/test-quiz").status_code == 404
    assert client.post("/quizzes/test-quiz/start").status_code == 404
    assert client.get("/quizzes/nothing-here").status_code == 404


def test_correct_answers_appear_only_after_the_last_allowed_attempt(client, login_as, make_quiz):
    make_quiz([single(right="b")], attempts=2, feedback="after_submit", show_correct="after_last_attempt")
    login_as()
    first = start(client, "test-quiz")
    answer(client, first, 0, q0="a")
    client.post(f"/attempts/{first}/submit")
    review = page_text(client.get(f"/attempts/{first}/review"))
    assert "Түсініктеме a" in review and "Түсініктеме b" not in review and "Correct answer" not in review
    second = start(client, "test-quiz")
    client.post(f"/attempts/{second}/submit")
    review = page_text(client.get(f"/attempts/{second}/review"))
    assert "Correct answer" in review and "Түсініктеме b" in review
    # now the first attempt may show them too
    assert "Correct answer" in page_text(client.get(f"/attempts/{first}/review"))


def test_nothing_but_the_score_when_feedback_waits_and_correct_answers_are_never_shown(client, login_as, make_quiz):
    make_quiz([single()], attempts=1, feedback="after_last_attempt", show_correct="never")
    login_as()
    attempt_id = start(client, "test-quiz")
    answer(client, attempt_id, 0, q0="b")
    client.post(f"/attempts/{attempt_id}/submit")
    review = page_text(client.get(f"/attempts/{attempt_id}/review"))
    assert "Score: 0 of 1 points (0%)" in review
    assert "Correct answer" not in review and "Жалпы түсініктеме" in review  # the last attempt: feedback
    assert "Түсініктеме a" not in review


def test_feedback_after_each_question_locks_a_checked_answer(client, login_as, make_quiz):
    make_quiz([single(), truefalse()], feedback="after_each", show_correct="after_each")
    login_as()
    attempt_id = start(client, "test-quiz")
    page = page_text(client.get(f"/attempts/{attempt_id}"))
    assert 'value="check"' in page and "Түсініктеме" not in page
    response = answer(client, attempt_id, 0, go="check", q0="b")
    checked = page_text(client.get(response.headers["Location"]))
    assert "Түсініктеме b" in checked and "Correct answer" in checked and "disabled" in checked
    answer(client, attempt_id, 0, go=1, q0="a")  # a changed mind after the check is not taken
    assert attempt_row(attempt_id).answers["0"] == "b" and attempt_row(attempt_id).checked == [0]


def test_the_best_attempt_is_the_grade_that_counts(client, login_as, make_quiz):
    make_quiz([single()], attempts=3)
    login_as()
    for picked in ("a", "b"):
        attempt_id = start(client, "test-quiz")
        answer(client, attempt_id, 0, q0=picked)
        client.post(f"/attempts/{attempt_id}/submit")
    page = page_text(client.get("/quizzes/test-quiz"))
    assert "Your grade: 100% (best of your attempts)" in page and "1 attempt left." in page


def test_an_essay_awaits_a_trainer_then_counts(client, login_as, make_quiz):
    quiz = make_quiz([single(), essay(points=2)], per_page=5)
    learner = login_as()
    attempt_id = start(client, "test-quiz")
    answer(client, attempt_id, 0, q0="a", q1="Бүгін таңертең Астанада...")
    client.post(f"/attempts/{attempt_id}/submit")
    review = page_text(client.get(f"/attempts/{attempt_id}/review"))
    assert "Awaiting grading" in review
    assert attempt_row(attempt_id).status is AttemptStatus.AWAITING_GRADING
    client.post("/logout")
    trainer = login_as(Role.TRAINER)
    queue = page_text(client.get(f"/trainer/quizzes/{quiz.slug}/attempts"))
    assert learner.display_name in queue and "Awaiting grading" in queue
    refused = client.post(f"/trainer/attempts/{attempt_id}", data={"slot": 1, "points": 7, "comment": ""})
    assert "between 0 and the question" in page_text(refused)
    client.post(f"/trainer/attempts/{attempt_id}", data={"slot": 1, "points": 1.5, "comment": "Дереккөз жоқ."})
    attempt = attempt_row(attempt_id)
    assert (attempt.status, attempt.points, attempt.percent) == (AttemptStatus.GRADED, 2.5, pytest.approx(250 / 3))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "quiz.essay_graded"))
    assert (entry.actor_id, entry.subject_id, entry.details["points"]) == (trainer.id, learner.id, 1.5)
    client.post("/logout")
    login(client, learner)
    assert "Дереккөз жоқ." in page_text(client.get(f"/attempts/{attempt_id}/review"))


def test_an_answer_that_cannot_count_is_kept_and_explained(client, login_as):
    login_as(locale="en")
    attempt_id = start(client, "second")
    answer(client, attempt_id, 2, go=3, **{"q3": "nineteen ninety-nine"})
    page = page_text(client.get(f"/attempts/{attempt_id}?page=2"))
    assert 'value="nineteen ninety-nine"' in page and "Type a number" in page
    summary = page_text(client.get(f"/attempts/{attempt_id}/finish"))
    assert "Will not count:" in summary


def test_matching_ordering_numeric_and_short_answers_are_graded(client, login_as):
    login_as(locale="en")
    attempt_id = start(client, "second")
    answer(client, attempt_id, 0, **{"q1-extremism": "extremism", "q1-terrorism": "terrorism"})
    answer(client, attempt_id, 1, **{"q2-verify": "1", "q2-write": "2", "q2-publish": "3"})
    answer(client, attempt_id, 2, q3="1 999")
    answer(client, attempt_id, 3, q4="атц")
    client.post(f"/attempts/{attempt_id}/submit")
    attempt = attempt_row(attempt_id)
    assert attempt.marks == [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]  # the essay was left empty
    assert attempt.status is AttemptStatus.GRADED and attempt.passed
    review = page_text(client.get(f"/attempts/{attempt_id}/review"))
    assert "Correct answer: 1999" in review and "Right match: ideology" in review
