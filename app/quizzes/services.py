"""Taking a quiz: starting an attempt, saving answers, submitting once, grading, and what counts.

Every write to an attempt is conditional (``WHERE status = 'in_progress'`` and the revision read), so a double
click, two tabs or a retried request can neither lose an answer nor grade an attempt twice, on SQLite and
PostgreSQL alike. A learner reaches only their own attempts (``own_attempts`` / ``can_view_attempt``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from flask import abort
from sqlalchemy import Select, select, update
from sqlalchemy.orm import attributes, joinedload, selectinload

from app.accounts.models import User
from app.accounts.roles import Role
from app.courseware.models import Module
from app.courseware.services import ModuleSection
from app.db import db, utcnow
from app.quizzes.grading import AttemptScore, score_attempt
from app.quizzes.models import Attempt, ManualGrade, Question, QuestionVersion, Quiz, QuizStatus
from app.quizzes.quizspec import QuizSpec, presented_order, select_questions
from app.quizzes.rendering import source_question
from app.quizzes.responses import raw_from_form
from app.quizzes.rules import (
    AttemptStatus,
    attempts_left,
    best_attempt,
    deadline_for,
    is_overdue,
    mark_slots,
    paginate,
)

SAVE_RETRIES = 5


class AttemptRefused(Exception):
    """No new attempt: ``reason`` is "no_attempts_left" or "no_questions"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AttemptClosed(Exception):
    """The attempt takes no more answers: it was submitted, or its time ran out (``timed_out``)."""

    def __init__(self, attempt: Attempt, timed_out: bool = False) -> None:
        super().__init__(attempt.id)
        self.attempt = attempt
        self.timed_out = timed_out


# --- who reaches what ----------------------------------------------------------------------------------------


def can_view_attempt(user: User, attempt: Attempt) -> bool:
    """A learner sees their own attempts; trainers and admins see every attempt."""
    return attempt.user_id == user.id or user.role.includes(Role.TRAINER)


def visible_attempts(user: User) -> Select:
    """The attempts ``user`` may see, as a query to narrow further."""
    statement = select(Attempt)
    return statement if user.role.includes(Role.TRAINER) else statement.where(Attempt.user_id == user.id)


def own_attempts(user: User) -> Select:
    """The attempts a learner takes: their own, whatever their role."""
    return select(Attempt).where(Attempt.user_id == user.id)


def own_attempt(user: User, attempt_id: int) -> Attempt:
    """The user's attempt with its quiz, or 404: another learner's attempt does not exist for them."""
    statement = own_attempts(user).where(Attempt.id == attempt_id).options(joinedload(Attempt.quiz))
    return db.session.scalar(statement) or abort(404)


# --- quizzes as learners see them ------------------------------------------------------------------------------


def published_quiz(slug: str) -> Quiz:
    quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug)
                             .options(joinedload(Quiz.module).joinedload(Module.course)))
    if quiz is None or not quiz.is_published:
        abort(404)
    return quiz


def learner_attempts(quiz_ids: Sequence[int], user_id: int | None) -> list[Attempt]:
    if user_id is None or not quiz_ids:
        return []
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.quiz_id.in_(quiz_ids))
        .order_by(Attempt.number).options(joinedload(Attempt.quiz))
    ))


def live_versions(quiz: Quiz) -> list[QuestionVersion]:
    """The current version of each live question, in quiz order: two queries."""
    questions = db.session.scalars(
        select(Question).where(Question.quiz_id == quiz.id, Question.retired.is_(False))
        .order_by(Question.position, Question.id).options(selectinload(Question.current))
    )
    return [q.current for q in questions]


def versions_by_id(ids: Sequence[int]) -> dict[int, QuestionVersion]:
    if not ids:
        return {}
    return {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(set(ids))))}


def attempt_versions(attempt: Attempt) -> list[QuestionVersion]:
    """The versions an attempt drew, slot by slot: one query."""
    found = versions_by_id([slot["version"] for slot in attempt.slots])
    return [found[slot["version"]] for slot in attempt.slots]


def attempt_pages(attempt: Attempt, versions: Sequence[QuestionVersion], per_page: int) -> list[list[int]]:
    return paginate([v.type_name == "description" for v in versions], per_page)


# --- starting ----------------------------------------------------------------------------------------------------


def close_if_overdue(attempt: Attempt) -> bool:
    """Submit an attempt whose time ran out with what it saved; True when it did."""
    if attempt.status is AttemptStatus.IN_PROGRESS and is_overdue(attempt.deadline, utcnow()):
        submit_attempt(attempt)
        return True
    return False


def start_attempt(quiz: Quiz, user: User, *, rng: random.Random | None = None) -> Attempt:
    """The learner's attempt in progress, else a new one drawn from the quiz's current questions.

    Raises AttemptRefused when no attempt is left or the quiz asks nothing. Two starts at once can draw the
    same attempt number: the database refuses the second (IntegrityError), which the view answers by showing
    the attempt that won.
    """
    attempts = learner_attempts([quiz.id], user.id)
    for attempt in attempts:
        if attempt.status is AttemptStatus.IN_PROGRESS and not close_if_overdue(attempt):
            return attempt
    settings = quiz.quiz_settings
    if attempts_left(settings, len(attempts)) == 0:
        raise AttemptRefused("no_attempts_left")
    versions = live_versions(quiz)
    questions = [source_question(v) for v in versions]
    pool = [q for q in questions if q.type_name != "description"]
    if not pool:
        raise AttemptRefused("no_questions")
    if settings.draw:
        settings = replace(settings, draw=min(settings.draw, len(pool)))
    rng = rng or random.SystemRandom()
    chosen = select_questions(QuizSpec(title=quiz.title, settings=settings, questions=tuple(questions)), rng)
    version_of = {q.id: v for q, v in zip(questions, versions, strict=True)}
    slots = [{"question": q.id, "version": version_of[q.id].id,
              "order": list(presented_order(q, rng, shuffle_options=settings.shuffle_options))} for q in chosen]
    now = utcnow()
    attempt = Attempt(quiz_id=quiz.id, user_id=user.id, number=max((a.number for a in attempts), default=0) + 1,
                      slots=slots, answers={}, checked=[], started_at=now, deadline=deadline_for(now, settings))
    db.session.execute(update(QuestionVersion).where(QuestionVersion.id.in_([s["version"] for s in slots]),
                                                     QuestionVersion.locked.is_(False)).values(locked=True))
    db.session.add(attempt)
    db.session.flush()
    return attempt


# --- saving ------------------------------------------------------------------------------------------------------


def _set_loaded(attempt: Attempt, values: dict[str, Any]) -> None:
    """Reflect a conditional UPDATE in the loaded object without reading it back."""
    for key, value in values.items():
        attributes.set_committed_value(attempt, key, value)


def _reload(attempt: Attempt) -> Attempt:
    return db.session.scalar(select(Attempt).where(Attempt.id == attempt.id).options(joinedload(Attempt.quiz))
                             .execution_options(populate_existing=True))


def save_page(attempt: Attempt, versions: Sequence[QuestionVersion], page: int, form: Any,
              *, check: bool = False) -> None:
    """Save the answers a page sent (and, with ``check``, lock them to show their feedback).

    Raises AttemptClosed when the attempt was submitted meanwhile or its time is up (it is then submitted with
    what was saved before).
    """
    questions = [source_question(v) for v in versions]
    pages = attempt_pages(attempt, versions, attempt.quiz.questions_per_page)
    page = min(max(page, 0), len(pages) - 1)
    for _ in range(SAVE_RETRIES):
        if attempt.status is not AttemptStatus.IN_PROGRESS:
            raise AttemptClosed(attempt)
        if close_if_overdue(attempt):
            raise AttemptClosed(attempt, timed_out=True)
        locked = set(attempt.checked)
        answers = dict(attempt.answers)
        for slot in pages[page]:
            if slot not in locked and questions[slot].type_name != "description":
                answers[str(slot)] = raw_from_form(questions[slot], slot, form)
        checked = sorted(locked | set(pages[page])) if check else list(attempt.checked)
        values = {"answers": answers, "checked": checked, "last_page": page, "revision": attempt.revision + 1}
        saved = db.session.execute(
            update(Attempt).where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS,
                                  Attempt.revision == attempt.revision)
            .values(**values).execution_options(synchronize_session=False)
        ).rowcount
        if saved == 1:
            _set_loaded(attempt, values)
            return
        attempt = _reload(attempt)
    raise AttemptClosed(attempt)


# --- submitting and grading ----------------------------------------------------------------------------------------


def submit_attempt(attempt: Attempt) -> Attempt:
    """Submit and grade the attempt exactly once, however many requests ask at the same moment.

    The first request to move it out of "in progress" grades it, in its transaction; the others find it
    already taken and return it as it is.
    """
    now = utcnow()
    taken = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(status=AttemptStatus.SUBMITTED, submitted_at=now, revision=Attempt.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    attempt = _reload(attempt)  # the answers as last saved, by whichever request saved them
    if taken == 1:
        grade_attempt(attempt, attempt_versions(attempt), manual={})
    return attempt


def grade_attempt(attempt: Attempt, versions: Sequence[QuestionVersion], manual: dict[int, float]) -> AttemptScore:
    questions = [source_question(v) for v in versions]
    grades = mark_slots(questions, attempt.answers, manual)
    score = score_attempt(grades, attempt.quiz.quiz_settings.pass_mark)
    attempt.record_score(score, [g.fraction for g in grades])
    db.session.flush()
    return score


def manual_grades(attempt_ids: Sequence[int]) -> dict[int, dict[int, ManualGrade]]:
    """Trainers' essay marks per attempt and slot: one query."""
    found: dict[int, dict[int, ManualGrade]] = {}
    if attempt_ids:
        for row in db.session.scalars(select(ManualGrade).where(ManualGrade.attempt_id.in_(attempt_ids))):
            found.setdefault(row.attempt_id, {})[row.slot] = row
    return found


@dataclass(frozen=True)
class QuizStanding:
    """A learner's standing in one quiz: their attempts, the one in progress, the best, what is left."""

    quiz: Quiz
    attempts: list[Attempt]
    in_progress: Attempt | None
    best: Attempt | None
    left: int | None
    awaiting: bool

    @property
    def can_start(self) -> bool:
        return self.in_progress is None and self.left != 0


def standing(quiz: Quiz, attempts: list[Attempt], *, close_overdue: bool = True) -> QuizStanding:
    """Where the learner stands; with ``close_overdue`` an attempt whose time ran out is submitted first."""
    for attempt in attempts if close_overdue else ():
        close_if_overdue(attempt)
    finished = [a for a in attempts if a.finished]
    in_progress = next((a for a in attempts if not a.finished), None)
    return QuizStanding(
        quiz=quiz, attempts=attempts, in_progress=in_progress, best=best_attempt(finished),
        left=attempts_left(quiz.quiz_settings, len(attempts)),
        awaiting=any(a.status is AttemptStatus.AWAITING_GRADING for a in attempts),
    )


def exhausted(attempt: Attempt, attempts_used: int) -> bool:
    """No attempt is left after this one: what "after the last attempt" waits for."""
    return attempt.finished and attempts_left(attempt.quiz.quiz_settings, attempts_used) == 0


def module_section(module: Module, user: Any) -> ModuleSection | None:
    """The module page's quiz section: the quiz and where the learner stands; two queries."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id,
                                                Quiz.status == QuizStatus.PUBLISHED))
    if quiz is None:
        return None
    user_id = user.id if user is not None and user.is_authenticated else None
    # Read-only: an attempt whose time ran out is closed when the learner opens it or the quiz.
    return ModuleSection("quizzes/module_section.html",
                         standing(quiz, learner_attempts([quiz.id], user_id), close_overdue=False))
