"""A module quiz as its quiz.yaml file describes it: title, settings and questions, checked all at once.

``parse_quiz`` takes the loaded YAML (any mapping; courseware's line-remembering mapping gives problems their
line) and returns every problem it finds, errors and missing-translation warnings apart, so an author fixes a
file in one pass. It is pure: the courseware loader decides what to do with the result.

The drawing of an attempt (which questions, in which order, options in which order) is here too, as plain
functions of the spec and a random generator, so an attempt can freeze what it drew and a test can replay it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from app.quizzes.choice_types import ChoiceQuestion
from app.quizzes.fields import Fields, LocalText, Problem, duplicates
from app.quizzes.questions import Description, Matching, Ordering, Question, from_courseware, to_courseware

WHEN_SHOWN = ("after_each", "after_submit", "after_last_attempt")
"""When feedback may be shown: after each answered question, after submitting, after the last attempt."""
WHEN_CORRECT_SHOWN = (*WHEN_SHOWN, "never")

QUIZ_KEYS = ("title", "settings", "questions")
SETTINGS_KEYS = ("pass_mark", "attempts", "time_limit_minutes", "shuffle_questions", "shuffle_options",
                 "draw", "feedback", "show_correct")


@dataclass(frozen=True)
class QuizSettings:
    """How a quiz is taken. ``attempts`` 0 means unlimited; ``draw`` None means every question."""

    pass_mark: float
    attempts: int = 0
    time_limit_minutes: int | None = None
    shuffle_questions: bool = False
    shuffle_options: bool = False
    draw: int | None = None
    feedback: str = "after_submit"
    show_correct: str = "after_last_attempt"


@dataclass(frozen=True)
class QuizSpec:
    title: LocalText
    settings: QuizSettings
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def pool(self) -> tuple[Question, ...]:
        """The questions a learner answers (descriptions only frame them)."""
        return tuple(q for q in self.questions if not isinstance(q, Description))


@dataclass(frozen=True)
class ParsedQuiz:
    """The spec (None when there are errors) and everything wrong or untranslated in the file."""

    spec: QuizSpec | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def parse_quiz(data: object) -> ParsedQuiz:
    """Read a loaded quiz.yaml, collecting every problem rather than stopping at the first."""
    problems: list[Problem] = []
    f = Fields(data, "quiz", problems)
    spec = None
    if f.is_mapping:
        f.check_keys(QUIZ_KEYS, ("settings",))
        title = f.text("title")
        settings = _read_settings(f.data.get("settings"), problems)
        questions = _read_questions(f, problems)
        if settings is not None:
            _check_settings_against_questions(f, settings, questions)
            spec = QuizSpec(title=title, settings=settings, questions=tuple(questions))
    errors = tuple(p for p in problems if not p.is_warning)
    warnings = tuple(p for p in problems if p.is_warning)
    return ParsedQuiz(None if errors else spec, errors, warnings)


def _read_settings(data: object, problems: list[Problem]) -> QuizSettings | None:
    if data is None:
        return None
    s = Fields(data, "settings", problems)
    if not s.is_mapping:
        return None
    s.check_keys(SETTINGS_KEYS, ("pass_mark",))
    time_limit = s.integer("time_limit_minutes", None, low=1)
    return QuizSettings(
        pass_mark=s.number("pass_mark", 0.0, low=0, high=100) or 0.0,
        attempts=s.integer("attempts", 0, low=0) or 0,
        time_limit_minutes=time_limit,
        shuffle_questions=s.boolean("shuffle_questions", False),
        shuffle_options=s.boolean("shuffle_options", False),
        draw=s.integer("draw", None, low=1),
        feedback=s.choice("feedback", WHEN_SHOWN, "after_submit"),
        show_correct=s.choice("show_correct", WHEN_CORRECT_SHOWN, "after_last_attempt"),
    )


def _read_questions(f: Fields, problems: list[Problem]) -> list[Question]:
    questions: list[Question] = []
    entries = f.entries("questions", minimum=1)
    for position, entry in enumerate(entries, start=1):
        question, found = from_courseware(entry, position=position)
        problems.extend(found)
        if question is not None:
            questions.append(question)
    ids = [e.get("id") for e in entries if isinstance(e, Mapping) and isinstance(e.get("id"), str)]
    for repeated in duplicates(ids):
        f.error(f"two questions have the id {repeated!r}; ids must be unique in a quiz", "questions")
    if entries and all(isinstance(e, Mapping) and e.get("type") == "description" for e in entries):
        f.error("the quiz asks nothing: every entry is a description", "questions")
    return questions


def _check_settings_against_questions(f: Fields, settings: QuizSettings, questions: list[Question]) -> None:
    pool = [q for q in questions if not isinstance(q, Description)]
    # Counted from the file, not the valid questions, so one broken question does not also break the draw.
    entries = f.data.get("questions") if isinstance(f.data.get("questions"), list) else []
    asked = sum(1 for e in entries if not (isinstance(e, Mapping) and e.get("type") == "description"))
    if settings.draw is not None and asked and settings.draw > asked:
        f.error(f"settings: draw is {settings.draw} but the quiz has only {asked} questions", "settings")
    if settings.draw is not None and len({q.points for q in pool}) > 1:
        f.warning("settings: draw picks questions with different points, so attempts can differ in maximum",
                  "settings")
    if WHEN_CORRECT_SHOWN.index(settings.show_correct) < WHEN_SHOWN.index(settings.feedback):
        f.warning("settings: show_correct comes before feedback: learners see answers without explanations",
                  "settings")


def quiz_to_courseware(spec: QuizSpec) -> dict[str, Any]:
    """The quiz.yaml content that ``parse_quiz`` reads back as the same spec (for ``courseware export``)."""
    return {"title": dict(spec.title), "settings": asdict(spec.settings),
            "questions": [to_courseware(q) for q in spec.questions]}


# --- drawing an attempt ------------------------------------------------------------------------------------


def select_questions(spec: QuizSpec, rng: random.Random) -> tuple[Question, ...]:
    """The questions of a new attempt, in the order shown.

    Without ``draw`` or ``shuffle_questions`` this is the file's order. Otherwise descriptions come first, in
    their order, then ``draw`` questions picked at random (all when not set), kept in the file's order unless
    ``shuffle_questions`` asks for a random order.
    """
    settings = spec.settings
    if settings.draw is None and not settings.shuffle_questions:
        return spec.questions
    pool = list(spec.pool)
    chosen = rng.sample(pool, settings.draw) if settings.draw is not None else pool
    if settings.shuffle_questions:
        rng.shuffle(chosen)
    else:
        chosen.sort(key=pool.index)
    framing = [q for q in spec.questions if isinstance(q, Description)]
    return tuple(framing + chosen)


def presented_order(question: Question, rng: random.Random, *, shuffle_options: bool) -> tuple[str, ...]:
    """The order of a question's options (choice ids for matching) as one attempt shows them.

    Ordering items are always shuffled, and never shown already in the right order, or there is nothing to do.
    """
    if isinstance(question, Ordering):
        ids = [item.id for item in question.items]
        order = ids[:]
        for _ in range(20):
            rng.shuffle(order)
            if order != ids:
                break
        return tuple(order)
    if isinstance(question, ChoiceQuestion):
        ids = [option.id for option in question.options]
    elif isinstance(question, Matching):
        ids = [choice_id for choice_id, _ in question.choices()]
    else:
        return ()
    if shuffle_options:
        rng.shuffle(ids)
    return tuple(ids)
