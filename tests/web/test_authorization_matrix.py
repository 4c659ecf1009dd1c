"""Every route × every role, generated from the URL map: a new route cannot be added without an entry here.

Roles: anonymous, the learner who owns the records, another learner, a trainer, an admin. The expected status
follows from the route's declared audience (public, login, trainer, admin) and, for a learner's own records,
from who owns them: another learner gets 404, as if the record did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import url_for

from app.accounts.roles import Role
from app.db import db
from app.quizzes.models import Question, Quiz
from app.security import access_of
from tests.conftest import login, make_user

COURSE = "sample-course"
ROLES = ("anonymous", "owner", "other", "trainer", "admin")
ASSIGNMENT_ANSWERS = {
    "revision_number": 1,
    "part_0": "Explosion near Sarybel bus station: four injured, police say",
    "part_1": ("An explosive device went off near the Sarybel bus station at 13:45, the town police said. Four "
               "people were injured and taken to hospital; their lives are not in danger. Residents are asked to "
               "keep away from the area."),
    "part_2": "Police: four injured in an explosion near Sarybel bus station. Avoid the area. Details: example.kz",
}


@dataclass(frozen=True)
class Route:
    """How to reach a route, and what it guards beyond its declared audience."""

    params: Callable[[dict], dict]
    owned: bool = False          # a learner's own record: another learner gets 404, staff see it
    owner_only: bool = False     # a page for taking one's own attempt: everyone else gets 404, staff included
    ok: tuple[int, ...] = (200,)  # what an allowed GET answers (e.g. 400 for a bogus reset token)


def _none(world: dict) -> dict:
    return {}


def _course(world: dict) -> dict:
    return {"course_slug": COURSE}


def _practicum(world: dict) -> dict:
    return {"course_slug": COURSE, "module_slug": "practicum"}


ROUTES: dict[str, Route] = {
    "static": Route(lambda w: {"filename": "css/sanaly.css"}),
    "site.healthz": Route(_none),
    "site.set_language": Route(_none),
    "accounts.account": Route(_none),
    "accounts.change_password": Route(_none),
    "accounts.forgot_password": Route(_none),
    "accounts.login": Route(_none),
    "accounts.logout": Route(_none),
    "accounts.register": Route(_none),
    "accounts.reset_password": Route(lambda w: {"token": "not-a-token"}, ok=(400,)),
    "admin.admin_home": Route(_none),
    "admin.audit": Route(_none),
    "admin.change_role": Route(lambda w: {"user_id": w["owner_id"]}),
    "admin.trainer_home": Route(_none),
    "admin.users": Route(_none),
    "certificates.admin_detail": Route(lambda w: {"code": w["code"]}, ok=(200, 404)),
    "certificates.admin_issue": Route(_none),
    "certificates.admin_issue_all": Route(_none),
    "certificates.admin_list": Route(_none),
    "certificates.admin_reissue": Route(lambda w: {"code": w["code"]}),
    "certificates.admin_revoke": Route(lambda w: {"code": w["code"]}),
    "certificates.credential": Route(lambda w: {"code": w["code"]}, ok=(404,)),
    "certificates.issuer": Route(_none),
    "certificates.jwks": Route(_none),
    "certificates.mine": Route(_course),
    "certificates.pdf": Route(lambda w: {"code": w["code"]}, ok=(404,)),
    "certificates.status_list": Route(lambda w: {"list_id": 1}, ok=(200, 404)),
    "certificates.verification": Route(lambda w: {"code": w["code"]}, ok=(404,)),
    "certificates.verify": Route(_none),
    "cohorts.detail": Route(lambda w: {"cohort_id": w["cohort_id"]}),
    "cohorts.index": Route(_none),
    "cohorts.remove": Route(lambda w: {"cohort_id": w["cohort_id"], "user_id": w["owner_id"]}),
    "courseware.glossary": Route(_course),
    "courseware.home": Route(_none),
    "courseware.module": Route(lambda w: {"course_slug": COURSE, "module_slug": "first"}),
    "courseware.reading": Route(lambda w: {"course_slug": COURSE, "module_slug": "first", "reading_slug": "alpha"}),
    "courseware.welcome": Route(_course),
    "jobs.status": Route(lambda w: {"job_id": "no-such-job"}, ok=(404,)),
    "jobs.status_json": Route(lambda w: {"job_id": "no-such-job"}, ok=(404,)),
    "practicum.assignment": Route(_practicum),
    "practicum.choose": Route(_practicum),
    "practicum.grade": Route(lambda w: {"submission_id": w["submission_id"]}),
    "practicum.grading_queue": Route(_none),
    "practicum.image": Route(lambda w: {"sha": "0" * 64}, ok=(404,)),
    # The playthrough is still in progress: its owner is sent to the play page; nobody else sees it yet.
    "practicum.playthrough": Route(lambda w: {**_practicum(w), "playthrough_id": w["playthrough_id"]},
                                   owner_only=True, ok=(302,)),
    "practicum.scenario": Route(_practicum),
    "practicum.start_scenario": Route(_practicum),
    "practicum.statistics": Route(lambda w: {"scenario_id": w["scenario_id"]}),
    "practicum.submission": Route(lambda w: {**_practicum(w), "submission_id": w["submission_id"]}, owned=True),
    "progress.course_progress": Route(_course),
    "progress.dashboard": Route(_none),
    "progress.mark_read": Route(lambda w: {"course_slug": COURSE, "module_slug": "first", "reading_slug": "alpha"}),
    "progress.matrix": Route(_course),
    "progress.matrix_csv": Route(_course),
    "quizzes.attempt": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True),
    "quizzes.autosave": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True),
    "quizzes.edit_question": Route(lambda w: {"slug": w["quiz"], "question_slug": w["question"]}),
    "quizzes.edit_quiz": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.export_gift": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.grade_attempt": Route(lambda w: {"attempt_id": w["attempt_id"]}),
    "quizzes.import_gift": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.manage": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.move_question": Route(lambda w: {"slug": w["quiz"], "question_slug": w["question"]}),
    "quizzes.new_question": Route(lambda w: {"slug": w["quiz"], "type_name": "single"}),
    "quizzes.new_quiz": Route(_none),
    "quizzes.preview_question": Route(lambda w: {"slug": w["quiz"], "question_slug": w["question"]}),
    "quizzes.preview_quiz": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.quiz": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.quiz_attempts": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.regrade": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.retire_question": Route(lambda w: {"slug": w["quiz"], "question_slug": w["question"]}),
    "quizzes.review": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True, ok=(200, 302, 403)),
    "quizzes.save": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True),
    "quizzes.set_status": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.start": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.statistics": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.statistics_csv": Route(lambda w: {"slug": w["quiz"]}),
    "quizzes.submit": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True),
    "quizzes.trainer_quizzes": Route(_none),
    "quizzes.summary": Route(lambda w: {"attempt_id": w["attempt_id"]}, owner_only=True),
}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "add the new routes to ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "remove routes that no longer exist from ROUTES"


@pytest.fixture
def world(app, client):
    """A learner with an attempt, a playthrough and a submission; another learner; a trainer; an admin."""
    from app.cohorts.models import Cohort
    from app.practicum.models import Playthrough, Scenario, Submission

    users = {"owner": make_user(), "other": make_user(), "trainer": make_user(Role.TRAINER),
             "admin": make_user(Role.ADMIN)}
    quiz = db.session.scalar(db.select(Quiz).order_by(Quiz.id))
    question = db.session.scalar(db.select(Question).where(Question.quiz_id == quiz.id).order_by(Question.id))
    login(client, users["owner"])
    started = client.post(f"/quizzes/{quiz.slug}/start")
    attempt_id = int(started.headers["Location"].split("/")[2].split("?")[0])
    client.post(f"/courses/{COURSE}/modules/practicum/scenario/start")
    assert client.post(f"/courses/{COURSE}/modules/practicum/assignment", data=ASSIGNMENT_ANSWERS).status_code < 400
    client.post("/logout")
    db.session.add(Cohort(name="Matrix cohort"))
    db.session.commit()
    return {
        "users": users, "owner_id": users["owner"].id, "quiz": quiz.slug, "question": question.slug,
        "attempt_id": attempt_id, "code": "SNL-0000-0000-0000-0000",
        "playthrough_id": db.session.scalar(db.select(Playthrough.id)),
        "submission_id": db.session.scalar(db.select(Submission.id)),
        "scenario_id": db.session.scalar(db.select(Scenario.id)),
        "cohort_id": db.session.scalar(db.select(Cohort.id)),
    }


def expected(access: str | None, role: str, route: Route, method: str) -> tuple[int, ...]:
    """The statuses a role may get: refusals are exact, an allowed request is anything but a refusal."""
    needs = {"login": "owner", "trainer": "trainer", "admin": "admin"}.get(access or "public")
    ranks = {"owner": 0, "other": 0, "trainer": 1, "admin": 2}
    if needs is None:  # public
        return route.ok if method == "GET" else (200, 302, 303, 400, 404, 422, 429)
    if role == "anonymous":
        return (302,)
    if ranks[role] < ranks[needs]:
        return (403,)
    if (route.owned and role == "other") or (route.owner_only and role != "owner"):
        return (404,)
    if method == "GET":
        return route.ok
    return (200, 204, 302, 303, 400, 404, 409, 422)


def test_every_route_answers_every_role_as_declared(app, client, world):
    checked, failures = 0, []
    with app.test_request_context():
        targets = []
        for rule in app.url_map.iter_rules():
            route = ROUTES[rule.endpoint]
            url = url_for(rule.endpoint, **route.params(world))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                targets.append((rule.endpoint, route, url, method))
    access = {endpoint: access_of(app.view_functions[endpoint]) for endpoint in ROUTES}
    for role in ROLES:
        if role != "anonymous":
            login(client, world["users"][role])
        for endpoint, route, url, method in targets:
            if method == "POST" and role not in ("anonymous",) and expected(
                    access[endpoint], role, route, method)[0] not in (302, 403, 404):
                continue  # allowed writes are the features' own tests; here we prove the refusals
            response = client.open(url, method=method)
            checked += 1
            allowed = expected(access[endpoint], role, route, method)
            if endpoint == "static":
                allowed = (200,)
            if response.status_code not in allowed:
                failures.append(f"{role:9} {method:4} {url} -> {response.status_code}, expected {allowed}")
            if role == "anonymous" and allowed == (302,):
                assert "/login" in response.headers["Location"], url
        if role != "anonymous":
            client.post("/logout")
    assert failures == [], "\n".join(failures)
    assert checked > 200
