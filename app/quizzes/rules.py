"""The rules of taking a quiz: pages, deadlines, attempts left, what a learner may see, the grade that counts.

Plain functions of plain values, tested without a database; the services apply them to stored attempts.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from app.quizzes.grading import Grade, QuestionBase
from app.quizzes.quizspec import QuizSettings
from app.quizzes.responses import safe_response

SUBMIT_GRACE = timedelta(seconds=30)
"""A page sent just before the deadline may arrive just after it: its answers still count."""


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # taken by one submit request, being graded in its transaction
    AWAITING_GRADING = "awaiting_grading"  # essays wait for a trainer
    GRADED = "graded"

    @property
    def finished(self) -> bool:
        return self is not AttemptStatus.IN_PROGRESS


class IllegalTransition(ValueError):
    """An attempt asked to move to a status it cannot reach from where it is."""


_NEXT = {
    AttemptStatus.IN_PROGRESS: {AttemptStatus.SUBMITTED},
    AttemptStatus.SUBMITTED: {AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED},
    AttemptStatus.AWAITING_GRADING: {AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED},
    AttemptStatus.GRADED: {AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED},  # a regrade
}


def check_transition(current: AttemptStatus, wanted: AttemptStatus) -> None:
    if wanted not in _NEXT[current]:
        raise IllegalTransition(f"an attempt cannot go from {current} to {wanted}")


# --- pages ---------------------------------------------------------------------------------------------------


def paginate(is_description: Sequence[bool], per_page: int) -> list[list[int]]:
    """Slot indexes per page: ``per_page`` questions a page, each description on the page of the question after
    it (it frames that question); descriptions at the end join the last page."""
    per_page = max(1, per_page)
    pages: list[list[int]] = []
    current: list[int] = []
    asked = 0
    for index, description in enumerate(is_description):
        if asked == per_page:  # full: a question, or a description framing the next one, starts a new page
            pages.append(current)
            current, asked = [], 0
        current.append(index)
        asked += 0 if description else 1
    if current:
        if asked == 0 and pages:
            pages[-1].extend(current)
        else:
            pages.append(current)
    return pages


def question_numbers(is_description: Sequence[bool]) -> list[int | None]:
    """The number shown before each slot: questions are numbered 1, 2, ...; descriptions get none."""
    numbers: list[int | None] = []
    count = 0
    for description in is_description:
        count += 0 if description else 1
        numbers.append(None if description else count)
    return numbers


# --- time and attempts ---------------------------------------------------------------------------------------


def deadline_for(started_at: datetime, settings: QuizSettings) -> datetime | None:
    if not settings.time_limit_minutes:
        return None
    return started_at + timedelta(minutes=settings.time_limit_minutes)


def is_overdue(deadline: datetime | None, now: datetime) -> bool:
    """Past the deadline and its grace: nothing more is saved, the attempt is submitted as it stands."""
    return deadline is not None and now > deadline + SUBMIT_GRACE


def attempts_left(settings: QuizSettings, attempts_used: int) -> int | None:
    """How many more attempts may be started; None when unlimited."""
    if not settings.attempts:
        return None
    return max(0, settings.attempts - attempts_used)


# --- what a learner may see ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visibility:
    """What a review shows of one question: its mark and state, the feedback texts, the correct answer."""

    marks: bool
    feedback: bool
    correct: bool


def _allowed(when: str, *, finished: bool, exhausted: bool, checked: bool) -> bool:
    if when == "after_each":
        return finished or checked
    if when == "after_submit":
        return finished
    if when == "after_last_attempt":
        return finished and exhausted
    return False  # "never"


def visibility(settings: QuizSettings, *, finished: bool, exhausted: bool, checked: bool = False) -> Visibility:
    """What the settings let a learner see of a question.

    ``finished``: the attempt was submitted; ``exhausted``: no attempt is left to take; ``checked``: the learner
    checked this question during the attempt (only counts when feedback comes after each question).
    """
    flags = {"finished": finished, "exhausted": exhausted, "checked": checked}
    feedback = _allowed(settings.feedback, **flags)
    correct = _allowed(settings.show_correct, **flags)
    return Visibility(marks=feedback or correct, feedback=feedback, correct=correct)


# --- the grade that counts -------------------------------------------------------------------------------------


class ScoredAttempt(Protocol):
    status: str
    percent: float | None
    number: int


ScoredAttemptT = TypeVar("ScoredAttemptT", bound=ScoredAttempt)


def best_attempt(attempts: Sequence[ScoredAttemptT]) -> ScoredAttemptT | None:
    """The graded attempt with the highest percentage (the earlier one on a tie): the grade that counts."""
    graded = [a for a in attempts if a.status == AttemptStatus.GRADED and a.percent is not None]
    if not graded:
        return None
    return max(graded, key=lambda a: (a.percent, -a.number))


# --- marking -----------------------------------------------------------------------------------------------------


def mark_slots(questions: Sequence[QuestionBase], answers: dict[str, Any],
               manual: dict[int, float]) -> list[Grade]:
    """The grade of each slot: saved answers graded by the question, essays by the trainer's points."""
    grades = []
    for index, question in enumerate(questions):
        response, _ = safe_response(question, answers.get(str(index)))
        if question.type_name == "essay" and response is not None and index in manual:
            grades.append(question.grade_manually(min(manual[index], question.points)))  # type: ignore[attr-defined]
        else:
            grades.append(question.grade(response))
    return grades


# --- regrading ---------------------------------------------------------------------------------------------------


def _answer_keys(question: QuestionBase) -> tuple:
    """What a saved response refers to: option, item and choice ids. Equal keys: responses mean the same."""
    kind = question.type_name
    if kind in ("single", "multiple"):
        return kind, frozenset(o.id for o in question.options)  # type: ignore[attr-defined]
    if kind == "matching":
        return (kind, frozenset(p.id for p in question.items),  # type: ignore[attr-defined]
                frozenset(c for c, _ in question.choices()))  # type: ignore[attr-defined]
    if kind == "ordering":
        return kind, frozenset(i.id for i in question.items)  # type: ignore[attr-defined]
    return (kind,)


def regrade_compatible(seen: QuestionBase, fixed: QuestionBase) -> bool:
    """Whether answers given to ``seen`` can be regraded with ``fixed``: same type, same option and item ids."""
    return _answer_keys(seen) == _answer_keys(fixed)
