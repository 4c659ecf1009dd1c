"""The benchmark's data set: learners, trainers, cohorts, and everything the learners did in the course.

Accounts, cohort memberships and reading progress are plain rows, inserted in bulk (what registration,
cohort import and opening a reading write, without a password hash per learner: they share one, computed
once). Quiz attempts, submissions and grades go through the features' services; see activity.py. Learners
are written in batches, each committed, so memory stays flat at any N.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from app.accounts.models import User, search_key
from app.accounts.roles import Role
from app.accounts.services import hash_password
from app.bench import activity
from app.bench.plan import (
    ADMIN_EMAIL,
    TRAINER_EMAIL,
    LearnerPlan,
    Stage,
    cohort_ranges,
    learner_plan,
    trainer_count,
)
from app.cohorts.models import Cohort, CohortMember
from app.courseware.models import Course, Module
from app.courseware.services import course_outlines
from app.db import db, utcnow
from app.practicum.services import parts_of_modules
from app.progress.models import ReadingProgress
from app.quizzes.models import Quiz, QuizStatus

BATCH = 200
COHORT_NAME = "Bench intake {:02d}"


class SeedError(Exception):
    """The database cannot take the data set; the message says why."""


@dataclass
class CourseParts:
    """What a learner works through, module by module (quizzes and practicum where a module has them)."""

    course: Course
    modules: list[Module]
    quizzes: dict[int, activity.QuizDeck] = field(default_factory=dict)
    practicum: dict = field(default_factory=dict)


@dataclass
class Totals:
    learners: int = 0
    trainers: int = 0
    cohorts: int = 0
    readings: int = 0
    attempts: int = 0
    playthroughs: int = 0
    submissions: int = 0
    complete: int = 0


def course_parts() -> CourseParts:
    courses = course_outlines(db.session)
    if not courses:
        raise SeedError("no course in the database: run `flask --app wsgi courseware load` first")
    course = courses[0]
    modules = [m for m in course.modules if not m.retired]
    quizzes = {q.module_id: activity.QuizDeck.of(q) for q in db.session.scalars(
        select(Quiz).where(Quiz.module_id.in_([m.id for m in modules]), Quiz.status == QuizStatus.PUBLISHED))}
    return CourseParts(course, modules, quizzes, parts_of_modules([m.id for m in modules]))


def check_empty() -> None:
    if db.session.scalar(select(func.count()).select_from(User).where(User.email.like("%@bench.sanaly.kz"))):
        raise SeedError("this database already holds a bench data set: seed a fresh database")


def create_staff(password_hash: str, learners: int, now: datetime) -> list[User]:
    """The trainers (one per 500 learners, at least two) and an admin."""
    rows = [(TRAINER_EMAIL.format(i), f"Trainer {i}", Role.TRAINER) for i in range(1, trainer_count(learners) + 1)]
    rows.append((ADMIN_EMAIL, "Bench Admin", Role.ADMIN))
    db.session.execute(insert(User), [_user_row(email, name, "en", role, password_hash, now)
                                      for email, name, role in rows])
    return list(db.session.scalars(select(User).where(User.role == Role.TRAINER, User.email.like("%@bench.sanaly.kz"))
                                   .order_by(User.id)))


def _user_row(email: str, name: str, locale: str, role: Role, password_hash: str, created: datetime) -> dict:
    return {"email": email, "password_hash": password_hash, "display_name": name, "certificate_name": name,
            "locale": locale, "role": role, "session_epoch": 0, "search_text": search_key(name, name, email),
            "created_at": created, "password_changed_at": created}


def create_cohorts(learners: int) -> list[int]:
    ids = []
    for index, _ in enumerate(cohort_ranges(learners), start=1):
        cohort = Cohort(name=COHORT_NAME.format(index))
        db.session.add(cohort)
        db.session.flush()
        ids.append(cohort.id)
    return ids


def _cohort_of(number: int, cohort_ids: list[int]) -> int:
    return cohort_ids[(number - 1) // 1000]


def _modules_reached(plan: LearnerPlan) -> tuple[int, int | None]:
    """How many modules' readings are all read, and which module is being read part-way (if any)."""
    return {
        Stage.REGISTERED: (0, None), Stage.READING_FIRST: (0, 0), Stage.FIRST_DONE: (1, None),
        Stage.READING_SECOND: (1, 1), Stage.SECOND_DONE: (2, None), Stage.PLAYING: (2, 2),
    }.get(plan.stage, (3, None))


def reading_rows(plan: LearnerPlan, user_id: int, parts: CourseParts, rng: random.Random,
                 started: datetime) -> list[dict]:
    """Readings opened and read, in course order: what opening a reading and reaching its end write."""
    done, partial = _modules_reached(plan)
    rows, moment = [], started
    for index, module in enumerate(parts.modules):
        readings = module.readings
        if index == partial:
            readings = readings[:rng.randint(1, len(readings))]
        elif index >= done:
            break
        for position, reading in enumerate(readings):
            moment += timedelta(minutes=rng.randint(5, 40))
            unread = index == partial and position == len(readings) - 1
            rows.append({"user_id": user_id, "reading_id": reading.id, "first_opened_at": moment,
                         "last_opened_at": moment + timedelta(minutes=rng.randint(0, 600)),
                         "read_at": None if unread else moment + timedelta(minutes=3),
                         "read_how": None if unread else rng.choice(("end", "end", "marked"))})
    return rows


def _moment(plan: LearnerPlan, started: datetime, fraction: float) -> datetime:
    """A point of the learner's time in the course, from registration (0) to now (1)."""
    return started + timedelta(days=plan.days_ago * fraction)


def learner_activity(plan: LearnerPlan, user: User, parts: CourseParts, grader: activity.Grader,
                     rng: random.Random, started: datetime, totals: Totals) -> None:
    """Quizzes, the scenario and the assignment, as far as the learner's stage goes."""
    done, partial = _modules_reached(plan)
    for index, module in enumerate(parts.modules):
        deck = parts.quizzes.get(module.id)
        if deck is not None and (index < done or (index == partial and rng.random() < 0.3)):
            attempts = activity.take_quiz(deck, user.id, plan, rng, _moment(plan, started, (index + 1) / 4),
                                          must_pass=index < done)
            totals.attempts += len(attempts)
        practicum = parts.practicum.get(module.id)
        if practicum is None or not plan.reached(Stage.PLAYING) or index > max(done, partial or 0):
            continue
        if practicum.scenario_version is not None:
            rows = activity.playthroughs_for(plan, user.id, practicum.scenario, practicum.scenario_version, rng,
                                             must_pass=plan.reached(Stage.SUBMITTED),
                                             started=_moment(plan, started, 0.75))
            activity.insert_playthroughs(db.session, rows)
            totals.playthroughs += len(rows)
        if practicum.assignment_version is not None and plan.reached(Stage.SUBMITTED):
            activity.do_assignment(user, plan, practicum.assignment, practicum.assignment_version, grader, rng,
                                   accepted=plan.reached(Stage.COMPLETE))
            totals.submissions += 1


def seed_learners(learners: int, password: str, seed: int,
                  progress: Callable[[int], None] = lambda done: None) -> Totals:
    """Write the whole data set, committing each batch of learners."""
    check_empty()
    parts = course_parts()
    now = utcnow()
    password_hash = hash_password(password)  # once: every bench account shares it
    totals = Totals()
    trainers = create_staff(password_hash, learners, now - timedelta(days=70))
    cohort_ids = create_cohorts(learners)
    db.session.commit()
    totals.trainers, totals.cohorts = len(trainers), len(cohort_ids)
    for batch in _batches(learners):
        plans = [learner_plan(seed, number) for number in batch]
        _write_batch(plans, parts, trainers, cohort_ids, password_hash, seed, now, totals)
        db.session.commit()
        db.session.expunge_all()
        progress(len(batch))
    return totals


def issue_certificates(learners: int, seed: int, limit: int | None,
                       progress: Callable[[int], None] = lambda done: None) -> int:
    """Certificates for learners who completed the course, as an admin's bulk issuance does (the certificate
    services: eligibility, PDF, signed credential, audit), committed one by one; ``limit`` None: all of them.

    Each takes a fifth of a second (the PDF): a data set may leave completers "eligible, not yet issued", as
    in the week before the admin runs the bulk issuance.
    """
    from app.certificates.services import issue_certificate

    course = course_parts().course
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    plans = (learner_plan(seed, n) for n in range(1, learners + 1))
    emails = [plan.email for plan in plans if plan.stage is Stage.COMPLETE][:limit]
    users = db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id)).all()
    for user in users:
        issue_certificate(db.session, course, user, actor=admin)
        db.session.commit()
        progress(1)
    return len(users)


def _batches(learners: int) -> Iterator[range]:
    for first in range(1, learners + 1, BATCH):
        yield range(first, min(first + BATCH, learners + 1))


def _write_batch(plans: list[LearnerPlan], parts: CourseParts, trainers: list[User], cohort_ids: list[int],
                 password_hash: str, seed: int, now: datetime, totals: Totals) -> None:
    started = {p.number: now - timedelta(days=p.days_ago) for p in plans}
    db.session.execute(insert(User), [_user_row(p.email, p.display_name, p.locale, Role.LEARNER, password_hash,
                                                started[p.number]) for p in plans])
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_([p.email for p in plans])))}
    db.session.execute(insert(CohortMember), [
        {"cohort_id": _cohort_of(p.number, cohort_ids), "user_id": users[p.email].id, "added_at": started[p.number]}
        for p in plans])
    readings = []
    for plan in plans:
        rng = random.Random(seed * 7_919 + plan.number)  # noqa: S311 - reproducible test data  # nosec B311
        user = users[plan.email]
        readings += reading_rows(plan, user.id, parts, rng, started[plan.number])
        grader = activity.Grader(trainers[plan.number % len(trainers)])
        learner_activity(plan, user, parts, grader, rng, started[plan.number], totals)
        totals.complete += plan.stage is Stage.COMPLETE
    if readings:
        db.session.execute(insert(ReadingProgress), readings)
    for deck in parts.quizzes.values():
        deck.lock_drawn()
    totals.learners += len(plans)
    totals.readings += len(readings)
