"""What the load scenario needs to know about the seeded site, written once as JSON before locust starts.

The course's slugs, the quizzes, the scenario's definition (so a simulated learner knows which choices the
next page offers without reading it), and every trainer and admin page, with real ids filled in.

    DATABASE_URL=... python -m bench.load.site > site.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.accounts.models import User
from app.accounts.roles import Role
from app.certificates.models import Certificate
from app.cohorts.models import Cohort, CohortMember
from app.courseware.services import course_outlines
from app.db import db
from app.practicum.models import Playthrough, PlaythroughStatus, Scenario, ScenarioVersion, Submission
from app.practicum.models import SubmissionStatus as Status
from app.quizzes.models import Attempt, Question, Quiz, QuizStatus
from app.quizzes.rules import AttemptStatus
from app.security import access_of

STAFF_ACCESS = ("trainer", "admin")
# Measured on their own (bench/run.py's export step): a whole-course CSV is not a page.
NOT_PAGES = (".csv", "export")


def _first(statement) -> Any:
    return db.session.scalar(statement.limit(1))


def _values(course_slug: str, quiz: Quiz | None, scenario_id: int | None) -> dict[str, Any]:
    """A real value for each URL argument a staff page takes."""
    largest_cohort = _first(select(CohortMember.cohort_id).group_by(CohortMember.cohort_id)
                            .order_by(func.count().desc(), CohortMember.cohort_id))
    values = {
        "course_slug": course_slug,
        "slug": quiz.slug if quiz else None,
        "question_slug": _first(select(Question.slug).where(Question.quiz_id == quiz.id).order_by(Question.position))
        if quiz else None,
        "attempt_id": _first(select(Attempt.id).where(Attempt.status == AttemptStatus.GRADED).order_by(Attempt.id)),
        "submission_id": _first(select(Submission.id).where(Submission.status == Status.SUBMITTED)
                                .order_by(Submission.submitted_at, Submission.id)),
        "scenario_id": scenario_id,
        "playthrough_id": _first(select(Playthrough.id).where(Playthrough.status == PlaythroughStatus.FINISHED)),
        "cohort_id": largest_cohort or _first(select(Cohort.id)),
        "user_id": _first(select(User.id).where(User.role == Role.LEARNER).order_by(User.id)),
        "code": _first(select(Certificate.code).order_by(Certificate.id)),
    }
    return {name: value for name, value in values.items() if value is not None}


def staff_pages(app: Flask, values: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    """Every GET page for trainers and admins, with its URL; and those that could not be filled in."""
    pages, skipped = [], []
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            access = access_of(app.view_functions[rule.endpoint])
            if access not in STAFF_ACCESS or "GET" not in rule.methods or rule.rule.endswith(NOT_PAGES):
                continue
            missing = [arg for arg in rule.arguments if arg not in values]
            if missing:
                skipped.append({"endpoint": rule.endpoint, "missing": missing})
                continue
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
            pages.append({"endpoint": rule.endpoint, "access": access, "url": url})
    return pages, skipped


def discover(app: Flask) -> dict:
    with app.app_context():
        course = course_outlines(db.session)[0]
        quizzes = {q.module_id: q for q in db.session.scalars(select(Quiz).where(Quiz.status == QuizStatus.PUBLISHED))}
        scenario = db.session.execute(
            select(Scenario, ScenarioVersion).join(ScenarioVersion, ScenarioVersion.scenario_id == Scenario.id)
            .where(ScenarioVersion.content_hash == Scenario.current_hash, Scenario.retired.is_(False))).first()
        modules = [{"slug": m.slug, "readings": [r.slug for r in m.readings],
                    "quiz": quizzes[m.id].slug if m.id in quizzes else None,
                    "scenario": bool(scenario and scenario[0].module_id == m.id)}
                   for m in course.modules if not m.retired]
        values = _values(course.slug, next(iter(quizzes.values()), None), scenario[0].id if scenario else None)
        learners = db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.LEARNER))
        sizes = (select(CohortMember.cohort_id, func.count()).group_by(CohortMember.cohort_id)
                 .order_by(CohortMember.cohort_id))
        cohorts = [{"id": cohort_id, "size": size} for cohort_id, size in db.session.execute(sizes)]
        site = {"course": course.slug, "modules": modules, "learners": learners, "cohorts": cohorts,
                "scenario_definition": scenario[1].definition if scenario else None}
    site["staff_pages"], site["staff_pages_skipped"] = staff_pages(app, values)
    return site


if __name__ == "__main__":
    json.dump(discover(create_app({"SERVER_NAME": "127.0.0.1"})), sys.stdout, ensure_ascii=False, indent=1)
