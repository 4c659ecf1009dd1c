"""Completion rules as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from app.progress.completion import (
    Evidence,
    Item,
    ItemKind,
    ItemStatus,
    State,
    completed_at,
    course_complete,
    module_completion,
    parse_rules,
)

READING = Item(ItemKind.READING, "m1", "framing", {"kk": "Оқу"})
QUIZ = Item(ItemKind.QUIZ, "m1", "quiz", {"kk": "Тест"})
ESSAY = Item(ItemKind.ASSIGNMENT, "m3", "piece", {"kk": "Тапсырма"})


def at(day: int) -> datetime:
    return datetime(2026, 11, day, tzinfo=UTC)


def test_default_rules_require_everything_done():
    rules, problems = parse_rules(None)
    assert problems == []
    module = module_completion("m1", [ItemStatus(READING, State.DONE, Evidence("reading_progress", 1, at(1))),
                                      ItemStatus(QUIZ, State.STARTED, Evidence("attempt", 7, at(2), 40.0))], rules)
    assert (module.done, module.total, module.complete) == (1, 2, False)
    assert [s.item for s in module.remaining] == [QUIZ]


def test_a_course_is_complete_when_every_module_is_and_dates_from_the_last_item():
    rules, _ = parse_rules({"quizzes": "passed"})
    first = module_completion("m1", [ItemStatus(READING, State.DONE, Evidence("r", 1, at(1))),
                                     ItemStatus(QUIZ, State.DONE, Evidence("attempt", 2, at(5), 90.0, True))], rules)
    third = module_completion("m3", [ItemStatus(ESSAY, State.DONE, Evidence("submission", 3, at(9)))], rules)
    assert course_complete([first, third])
    assert completed_at([first, third]) == at(9)
    assert not course_complete([])


def test_optional_and_submitted_rules():
    rules, problems = parse_rules({"readings": "optional", "assignments": "submitted"})
    assert problems == []
    awaiting = ItemStatus(ESSAY, State.AWAITING, Evidence("submission", 3, at(3), submitted=True))
    module = module_completion("m3", [ItemStatus(READING, State.NOT_STARTED), awaiting], rules)
    assert (module.done, module.total) == (1, 1)


def test_bad_rules_are_named():
    _, problems = parse_rules({"quizzes": "sometimes", "videos": "all"})
    assert any("completion.quizzes must be one of" in p for p in problems)
    assert any("unknown key 'videos'" in p for p in problems)
