"""Module quizzes as course items for progress and completion: done when the best graded attempt passes.

Two queries whatever the number of learners: the course's quizzes, then the learners' attempts at them.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlalchemy import select

from app.courseware.models import Course
from app.progress.completion import Evidence, Item, ItemKind, ItemStatus, State
from app.quizzes.models import Attempt, Quiz, QuizStatus
from app.quizzes.rules import AttemptStatus, best_attempt

KINDS = frozenset({ItemKind.QUIZ})


def _course_quizzes(session, course: Course) -> dict[int, Quiz]:
    module_ids = [m.id for m in course.modules]
    if not module_ids:
        return {}
    quizzes = session.scalars(select(Quiz).where(Quiz.module_id.in_(module_ids),
                                                 Quiz.status == QuizStatus.PUBLISHED))
    return {quiz.module_id: quiz for quiz in quizzes}


def items(session, course: Course) -> list[Item]:
    """Each module's published quiz."""
    quizzes = _course_quizzes(session, course)
    return [Item(ItemKind.QUIZ, module.slug, quizzes[module.id].slug, quizzes[module.id].title, 1,
                 url_for("quizzes.quiz", slug=quizzes[module.id].slug))
            for module in course.modules if module.id in quizzes]


def statuses(session, course: Course, course_items: list[Item], user_ids: list[int]) -> dict:
    """Done on the best graded attempt that passed; awaiting while an essay waits for a trainer."""
    wanted = {item.slug: item for item in course_items}
    if not wanted or not user_ids:
        return {}
    rows = session.execute(
        select(Attempt, Quiz.slug).join(Quiz, Attempt.quiz_id == Quiz.id)
        .where(Quiz.slug.in_(list(wanted)), Attempt.user_id.in_(user_ids))
    )
    attempts: dict[tuple[int, str], list[Attempt]] = defaultdict(list)
    for attempt, slug in rows:
        attempts[(attempt.user_id, slug)].append(attempt)
    result = {}
    for (user_id, slug), mine in attempts.items():
        item = wanted[slug]
        best = best_attempt(mine)
        if best is not None:
            evidence = Evidence("attempt", best.id, best.submitted_at, best.percent, bool(best.passed), True)
            state = State.DONE if best.passed else State.STARTED
        elif any(a.status == AttemptStatus.AWAITING_GRADING for a in mine):
            waiting = max((a for a in mine if a.status == AttemptStatus.AWAITING_GRADING), key=lambda a: a.number)
            evidence, state = Evidence("attempt", waiting.id, waiting.submitted_at, submitted=True), State.AWAITING
        else:
            latest = max(mine, key=lambda a: a.number)
            evidence, state = Evidence("attempt", latest.id, latest.started_at), State.STARTED
        result[(user_id, item.key)] = ItemStatus(item, state, evidence)
    return result
