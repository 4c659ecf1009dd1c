"""Trainers' marking: essays graded by hand, and regrades after a fix to a key, each with an audit record."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit.services import record
from app.db import db, utcnow
from app.quizzes.grading import InvalidResponse
from app.quizzes.models import Attempt, ManualGrade, Question, QuestionVersion, Quiz, Regrade
from app.quizzes.rendering import source_question
from app.quizzes.rules import AttemptStatus, regrade_compatible
from app.quizzes.services import (
    attempt_versions,
    grade_attempt,
    manual_grades,
    versions_by_id,
)

FINISHED = (AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED)


def count_awaiting_grading(quiz: Quiz) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.status == AttemptStatus.AWAITING_GRADING)) or 0


def attempt_for_trainer(attempt_id: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.id == attempt_id)
                             .options(joinedload(Attempt.user), joinedload(Attempt.quiz)))


def grade_essay(attempt: Attempt, slot: int, points: float, comment: str, *, grader: User) -> None:
    """Record a trainer's points for an essay and recompute the attempt; raises InvalidResponse on bad points."""
    if attempt.status not in FINISHED:
        raise InvalidResponse("not_submitted", "the attempt is not submitted yet")
    versions = attempt_versions(attempt)
    if not 0 <= slot < len(versions) or versions[slot].type_name != "essay":
        raise InvalidResponse("not_an_essay", "no essay in this slot")
    source_question(versions[slot]).grade_manually(points)  # type: ignore[attr-defined]  # checks the range
    existing = manual_grades([attempt.id]).get(attempt.id, {})
    row = existing.get(slot)
    if row is None:
        row = ManualGrade(attempt_id=attempt.id, slot=slot, points=points)
        db.session.add(row)
    before = row.points if slot in existing else None
    row.points, row.comment, row.grader_id, row.graded_at = points, comment.strip(), grader.id, utcnow()
    manual = {s: g.points for s, g in existing.items()} | {slot: points}
    grade_attempt(attempt, versions, manual)
    record("quiz.essay_graded", actor=grader, subject=attempt.user, object_type="attempt", object_id=attempt.id,
           slot=slot, before=before, points=points, percent=attempt.percent)


def _latest_versions(quiz: Quiz) -> dict[str, QuestionVersion]:
    questions = db.session.scalars(select(Question).where(Question.quiz_id == quiz.id)
                                   .options(selectinload(Question.current)))
    return {q.slug: q.current for q in questions if q.current is not None}


def regrade_quiz(quiz: Quiz, *, actor: User) -> Regrade:
    """Grade every submitted attempt again with the latest version of each question it drew, where that version
    still means the same answers (same option and item ids); otherwise with the version the learner saw."""
    attempts = list(db.session.scalars(
        select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.status.in_(FINISHED))
        .order_by(Attempt.id).options(joinedload(Attempt.user), joinedload(Attempt.quiz))
    ))
    latest = _latest_versions(quiz)
    seen = versions_by_id([slot["version"] for a in attempts for slot in a.slots])
    all_versions = {**seen, **{v.id: v for v in latest.values()}}
    manual = manual_grades([a.id for a in attempts])
    details = []
    for attempt in attempts:
        slots, swapped = [], {}
        for index, slot in enumerate(attempt.slots):
            old, new = all_versions[slot["version"]], latest.get(slot["question"])
            if new is not None and new.id != old.id and regrade_compatible(source_question(old),
                                                                          source_question(new)):
                slot = {**slot, "version": new.id, "seen_version": slot.get("seen_version", old.id)}
                swapped[str(index)] = [old.id, new.id]
            slots.append(slot)
        before = attempt.percent
        attempt.slots = slots
        grade_attempt(attempt, [all_versions[s["version"]] for s in slots],
                      {s: g.points for s, g in manual.get(attempt.id, {}).items()})
        if swapped or before != attempt.percent:
            details.append({"attempt": attempt.id, "user": attempt.user_id, "before": before,
                            "after": attempt.percent, "versions": swapped})
            record("attempt.regraded", actor=actor, subject=attempt.user, object_type="attempt",
                   object_id=attempt.id, before=before, after=attempt.percent)
    used = {s["version"] for a in attempts for s in a.slots}
    if used:
        db.session.execute(update(QuestionVersion).where(QuestionVersion.id.in_(used),
                                                         QuestionVersion.locked.is_(False)).values(locked=True))
    regrade = Regrade(quiz_id=quiz.id, actor_id=actor.id, attempts=len(attempts), changed=len(details),
                      details=details)
    db.session.add(regrade)
    db.session.flush()
    record("quiz.regraded", actor=actor, object_type="quiz", object_id=quiz.id, regrade=regrade.id,
           attempts=regrade.attempts, changed=regrade.changed)
    return regrade


def quiz_attempts(quiz: Quiz) -> list[Attempt]:
    """Every attempt at the quiz with its learner, those awaiting a grade first, then the newest."""
    attempts = db.session.scalars(select(Attempt).where(Attempt.quiz_id == quiz.id)
                                  .options(joinedload(Attempt.user)).order_by(Attempt.id.desc()))
    return sorted(attempts, key=lambda a: a.status is not AttemptStatus.AWAITING_GRADING)
