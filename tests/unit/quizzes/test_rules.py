"""Taking a quiz, as pure rules: pages, time, attempts, what a learner may see, the grade that counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.quizzes.questions import Essay, MultipleChoice, Option, Ordering, OrderItem, SingleChoice, TrueFalse
from app.quizzes.quizspec import QuizSettings
from app.quizzes.rules import (
    SUBMIT_GRACE,
    AttemptStatus,
    IllegalTransition,
    attempts_left,
    best_attempt,
    check_transition,
    deadline_for,
    is_overdue,
    mark_slots,
    paginate,
    question_numbers,
    regrade_compatible,
    visibility,
)

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def kk(text: str) -> dict[str, str]:
    return {"kk": text}


def settings(**changes) -> QuizSettings:
    return QuizSettings(pass_mark=50, **changes)


def test_one_question_a_page_with_descriptions_on_the_page_of_the_question_they_frame():
    #            desc   q      q      desc   q
    kinds = [True, False, False, True, False]
    assert paginate(kinds, 1) == [[0, 1], [2], [3, 4]]
    assert paginate(kinds, 2) == [[0, 1, 2], [3, 4]]
    assert paginate(kinds, 50) == [[0, 1, 2, 3, 4]]


def test_descriptions_at_the_end_join_the_last_page_and_numbers_skip_them():
    assert paginate([False, False, True], 1) == [[0], [1, 2]]
    assert question_numbers([True, False, False, True, False]) == [None, 1, 2, None, 3]


def test_deadline_and_overdue_with_the_grace_for_a_page_in_flight():
    deadline = deadline_for(START, settings(time_limit_minutes=20))
    assert deadline == START + timedelta(minutes=20)
    assert deadline_for(START, settings()) is None
    assert not is_overdue(deadline, deadline + SUBMIT_GRACE)
    assert is_overdue(deadline, deadline + SUBMIT_GRACE + timedelta(seconds=1))
    assert not is_overdue(None, START + timedelta(days=365))


def test_attempts_left_counts_down_to_zero_and_unlimited_is_none():
    assert attempts_left(settings(attempts=2), 0) == 2
    assert attempts_left(settings(attempts=2), 2) == 0
    assert attempts_left(settings(attempts=2), 5) == 0
    assert attempts_left(settings(attempts=0), 40) is None


@pytest.mark.parametrize(("feedback", "show_correct", "finished", "exhausted", "checked", "expected"), [
    # nothing before the attempt is submitted, unless the learner checked the question under "after each"
    ("after_submit", "after_submit", False, False, False, (False, False, False)),
    ("after_each", "after_each", False, False, False, (False, False, False)),
    ("after_each", "after_each", False, False, True, (True, True, True)),
    ("after_each", "after_last_attempt", False, False, True, (True, True, False)),
    # after submitting
    ("after_submit", "after_submit", True, False, False, (True, True, True)),
    ("after_submit", "after_last_attempt", True, False, False, (True, True, False)),
    ("after_submit", "after_last_attempt", True, True, False, (True, True, True)),
    ("after_last_attempt", "after_last_attempt", True, False, False, (False, False, False)),
    ("after_last_attempt", "after_last_attempt", True, True, False, (True, True, True)),
    ("after_submit", "never", True, True, False, (True, True, False)),
])
def test_what_a_learner_sees_follows_the_settings(feedback, show_correct, finished, exhausted, checked, expected):
    seen = visibility(settings(feedback=feedback, show_correct=show_correct), finished=finished,
                      exhausted=exhausted, checked=checked)
    assert (seen.marks, seen.feedback, seen.correct) == expected


def test_correct_answers_are_never_shown_before_the_settings_allow_whatever_the_state():
    for when in ("after_submit", "after_last_attempt", "never"):
        for checked in (False, True):
            seen = visibility(settings(feedback="after_each", show_correct=when), finished=False,
                              exhausted=False, checked=checked)
            assert not seen.correct


@dataclass
class Scored:
    number: int
    status: str
    percent: float | None


def test_the_best_graded_attempt_counts_and_the_earlier_wins_a_tie():
    attempts = [Scored(1, "graded", 40.0), Scored(2, "graded", 80.0), Scored(3, "graded", 80.0),
                Scored(4, "awaiting_grading", 95.0), Scored(5, "in_progress", None)]
    assert best_attempt(attempts).number == 2
    assert best_attempt([Scored(1, "awaiting_grading", 90.0)]) is None


def test_status_moves_only_forward_and_regrades_stay_finished():
    check_transition(AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED)
    check_transition(AttemptStatus.SUBMITTED, AttemptStatus.AWAITING_GRADING)
    check_transition(AttemptStatus.AWAITING_GRADING, AttemptStatus.GRADED)
    check_transition(AttemptStatus.GRADED, AttemptStatus.GRADED)
    for illegal in [(AttemptStatus.GRADED, AttemptStatus.IN_PROGRESS),
                    (AttemptStatus.IN_PROGRESS, AttemptStatus.GRADED),
                    (AttemptStatus.SUBMITTED, AttemptStatus.IN_PROGRESS)]:
        with pytest.raises(IllegalTransition):
            check_transition(*illegal)


def choice(*weights: float, kind=SingleChoice, ids="abc"):
    options = tuple(Option(id=ids[i], text=kk(f"o{i}"), weight=w) for i, w in enumerate(weights))
    return kind(id="q", prompt=kk("?"), options=options)


def test_a_fixed_key_regrades_only_when_the_options_are_the_same():
    assert regrade_compatible(choice(100, 0, 0), choice(0, 100, 0))
    assert not regrade_compatible(choice(100, 0, 0), choice(100, 0, 0, ids="abd"))
    assert not regrade_compatible(choice(100, 0), choice(50, 50, kind=MultipleChoice))
    order = Ordering(id="o", prompt=kk("?"), items=(OrderItem(id="x", text=kk("x")), OrderItem(id="y", text=kk("y"))))
    assert regrade_compatible(order, Ordering(id="o", prompt=kk("!"), items=tuple(reversed(order.items))))


def test_marking_grades_saved_answers_and_takes_essay_points_from_the_trainer():
    single, truth = choice(100, 0, 0), TrueFalse(id="t", prompt=kk("?"), answer=False)
    essay = Essay(id="e", prompt=kk("write"), points=4)
    answers = {"0": "a", "1": "true", "2": "Some words here"}
    grades = mark_slots([single, truth, essay], answers, manual={})
    assert [g.fraction for g in grades] == [1.0, 0.0, None]
    graded = mark_slots([single, truth, essay], answers, manual={2: 3})
    assert graded[2].points == 3
    # an answer that cannot count (an unknown option) counts as none, never as an error
    assert mark_slots([single], {"0": "zzz"}, manual={})[0].fraction == 0.0
