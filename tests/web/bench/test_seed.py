"""`flask bench seed`: the data set is what the app itself would have written, and every learner's pages work."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.accounts.roles import Role
from app.bench import activity
from app.bench.plan import Stage, learner_plan
from app.bench.seed import course_parts
from app.certificates.models import Certificate, CertificateStatus
from app.cohorts.models import CohortMember
from app.db import db, utcnow
from app.practicum import playthroughs
from app.practicum.models import Playthrough, PlaythroughStatus, Submission
from app.progress.items import progress_of
from app.quizzes import services as quizzes
from app.quizzes.models import Attempt
from app.quizzes.rendering import source_question
from app.quizzes.rules import AttemptStatus, mark_slots
from tests.conftest import login, make_user

PASSWORD = "bench password 1"
LEARNERS = 40


@pytest.fixture
def seeded(app):
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--learners", str(LEARNERS), "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return result


def _learner(number: int) -> User:
    return db.session.scalar(select(User).where(User.email == f"learner{number}@bench.sanaly.kz"))


def test_seed_creates_learners_in_cohorts_with_trainers_and_prints_the_shared_password(seeded):
    assert f"{LEARNERS} learners" in seeded.output and PASSWORD in seeded.output
    learners = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("learner%@bench%")))
    assert learners == LEARNERS
    assert db.session.scalar(select(func.count()).select_from(CohortMember)) == LEARNERS
    trainers = db.session.scalars(select(User).where(User.role == Role.TRAINER, User.email.like("%@bench%"))).all()
    assert len(trainers) == 2


def test_everyone_who_completed_holds_a_valid_certificate_issued_by_the_certificate_services(app, client, seeded):
    completers = [n for n in range(1, LEARNERS + 1) if learner_plan(1, n).stage is Stage.COMPLETE]
    holders = set(db.session.scalars(select(Certificate.user_id).where(Certificate.status == CertificateStatus.VALID)))
    assert holders == {_learner(n).id for n in completers}
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == _learner(completers[0]).id))
    assert client.get(f"/verify/{certificate.code}").status_code == 200
    login(client, _learner(completers[0]), PASSWORD)
    assert certificate.code in client.get("/courses/sample-course/certificate").get_data(as_text=True)


def test_some_certificates_only_leaves_the_other_completers_eligible(app):
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--learners", "20", "--password", PASSWORD,
                                                "--certificates", "1"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_seeding_twice_is_refused_with_a_reason(app, seeded):
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--learners", "3", "--password", PASSWORD])
    assert result.exit_code != 0 and "already holds a bench data set" in result.output


def test_each_learner_has_got_as_far_as_the_plan_says(app, seeded):
    parts = course_parts()
    users = {n: _learner(n) for n in range(1, LEARNERS + 1)}
    progress = progress_of(db.session, parts.course, [u.id for u in users.values()])
    for number, user in users.items():
        stage = learner_plan(1, number).stage
        course = progress[user.id]
        assert course.complete == (stage is Stage.COMPLETE), (number, stage)
        if stage is Stage.REGISTERED:
            assert course.done == 0
        if stage >= Stage.FIRST_DONE:
            assert course.modules[0].complete, (number, stage)


def test_seeded_attempts_are_graded_as_the_quiz_services_grade_them(app, seeded):
    attempts = db.session.scalars(select(Attempt).where(Attempt.status == AttemptStatus.GRADED)
                                  .options(joinedload(Attempt.quiz))).all()
    assert attempts
    for attempt in attempts:
        questions = [source_question(v) for v in quizzes.attempt_versions(attempt)]
        grades = mark_slots(questions, attempt.answers, {})
        assert attempt.marks == [g.fraction for g in grades]
        assert attempt.passed == (attempt.percent >= attempt.quiz.quiz_settings.pass_mark)


def test_a_seeded_attempt_is_the_attempt_the_services_write_for_the_same_answers(app):
    """Drawn with the same random numbers and answered right, page by page, then submitted: the same row."""
    parts = course_parts()
    deck = next(iter(parts.quizzes.values()))
    bench_user, service_user = make_user(), make_user()
    seeded = activity.take_attempt(deck, bench_user.id, 1, 1.0, random.Random(5), utcnow())
    db.session.flush()

    through_services = quizzes.start_attempt(deck.quiz, service_user, rng=random.Random(5))
    attempt = quizzes.own_attempt(service_user, through_services.id)
    versions = quizzes.attempt_versions(attempt)
    questions = [source_question(v) for v in versions]
    for page, slots in enumerate(quizzes.attempt_pages(attempt, versions, deck.quiz.questions_per_page)):
        fields = []
        for slot in slots:
            raw = activity.raw_of_response(questions[slot], questions[slot].correct_response())
            fields += activity._form_fields(questions[slot], slot, raw)
        quizzes.save_page(attempt, versions, page, MultiDict(fields))
    attempt = quizzes.submit_attempt(attempt)

    for column in ("slots", "answers", "checked", "revision", "last_page", "status", "points", "max_points",
                   "percent", "passed", "marks"):
        assert getattr(seeded, column) == getattr(attempt, column), column
    assert seeded.passed


def test_a_seeded_playthrough_is_the_row_the_scenario_services_leave(app):
    parts = course_parts()
    practicum = next(p for p in parts.practicum.values() if p.scenario_version is not None)
    learner = make_user()
    plan = learner_plan(1, 1)
    rows = activity.playthroughs_for(plan, learner.id, practicum.scenario, practicum.scenario_version,
                                     random.Random(3), must_pass=True, started=utcnow())
    seeded = rows[-1]
    assert seeded["status"] is PlaythroughStatus.FINISHED and seeded["passed"]

    player = make_user()
    playthrough = playthroughs.start(player.id, practicum.scenario, practicum.scenario_version)
    for step, choice in enumerate(seeded["path"]):
        playthroughs.take_choice(playthrough, step, choice)
        db.session.expire(playthrough)
    played = db.session.get(Playthrough, playthrough.id)
    for column in ("path", "steps", "status", "scores", "total", "passed", "ending_id"):
        assert seeded[column] == getattr(played, column), column


def test_seeded_learners_and_trainers_sign_in_and_see_their_pages(app, client, seeded):
    complete = next(n for n in range(1, LEARNERS + 1) if learner_plan(1, n).stage is Stage.COMPLETE)
    login(client, _learner(complete), PASSWORD)
    for url in ("/", "/dashboard", "/courses/sample-course/progress", "/courses/sample-course/modules/practicum",
                "/courses/sample-course/modules/practicum/scenario"):
        assert client.get(url).status_code == 200, url
    client.post("/logout")
    login(client, db.session.scalar(select(User).where(User.email == "trainer1@bench.sanaly.kz")), PASSWORD)
    matrix = client.get("/trainer/courses/sample-course/progress")
    assert matrix.status_code == 200 and "learner" in matrix.get_data(as_text=True)
    waiting = db.session.scalar(select(func.count()).select_from(Submission))
    assert waiting and client.get("/practicum/grading").status_code == 200
