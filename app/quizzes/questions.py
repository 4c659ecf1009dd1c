"""The question types of Sanaly's quizzes, as one closed registry.

``QUESTION_TYPES`` maps the ``type`` written in quiz.yaml (and stored with every question version) to the
class that holds the definition and grades responses. There is no plugin loader: a new type is a new class
here, with its reader and writer for quiz.yaml, its GIFT form if it has one, a form builder and a template.

``from_courseware`` reads one question as a course author writes it in quiz.yaml and ``to_courseware`` writes
it back, so ``courseware export`` of questions edited in the browser loads again as the same questions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.quizzes.arrangement_types import (
    Matching,
    MatchPair,
    Ordering,
    OrderItem,
    read_matching,
    read_ordering,
    write_matching,
    write_ordering,
)
from app.quizzes.choice_types import (
    MultipleChoice,
    Option,
    SingleChoice,
    TrueFalse,
    read_multiple,
    read_single,
    read_truefalse,
    write_options,
    write_truefalse,
)
from app.quizzes.fields import Fields, LocalText, Problem, localized
from app.quizzes.grading import AttemptScore, Grade, InvalidResponse, Part, QuestionBase, score_attempt
from app.quizzes.text_types import (
    AcceptedAnswer,
    Description,
    Essay,
    Numeric,
    NumericAnswer,
    ShortAnswer,
    read_description,
    read_essay,
    read_numeric,
    read_short,
    write_description,
    write_essay,
    write_numeric,
    write_short,
)

Question = (
    SingleChoice | MultipleChoice | TrueFalse | Matching | Ordering | ShortAnswer | Numeric | Essay
    | Description
)

QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "single": SingleChoice,
    "multiple": MultipleChoice,
    "truefalse": TrueFalse,
    "matching": Matching,
    "ordering": Ordering,
    "short": ShortAnswer,
    "numeric": Numeric,
    "essay": Essay,
    "description": Description,
}

COMMON_KEYS = ("id", "type", "points", "prompt", "general_feedback")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "single": ("options",),
    "multiple": ("options",),
    "truefalse": ("answer", "feedback_true", "feedback_false"),
    "matching": ("pairs",),
    "ordering": ("items",),
    "short": ("case_sensitive", "answers"),
    "numeric": ("answers",),
    "essay": ("min_words", "max_words", "rubric_hint"),
    "description": (),
}

_READERS: dict[str, Callable[[Fields, dict[str, Any]], Any]] = {
    "single": read_single,
    "multiple": read_multiple,
    "truefalse": read_truefalse,
    "matching": read_matching,
    "ordering": read_ordering,
    "short": read_short,
    "numeric": read_numeric,
    "essay": read_essay,
    "description": read_description,
}

_WRITERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "single": lambda q: {"options": write_options(q)},
    "multiple": lambda q: {"options": write_options(q)},
    "truefalse": write_truefalse,
    "matching": write_matching,
    "ordering": write_ordering,
    "short": write_short,
    "numeric": write_numeric,
    "essay": write_essay,
    "description": write_description,
}


def from_courseware(
    data: Mapping[str, Any], *, position: int | None = None
) -> tuple[Question | None, list[Problem]]:
    """One question from quiz.yaml; None when it has errors. Problems name the question and the option,
    e.g. ``question q03, option b: feedback missing in ru``; missing translations are warnings."""
    problems: list[Problem] = []
    raw_id = data.get("id") if isinstance(data, Mapping) else None
    label = f"question {raw_id}" if isinstance(raw_id, str) else f"question {position or '?'}"
    f = Fields(data, label, problems)
    if not f.is_mapping:
        return None, problems
    type_name = data.get("type")
    if type_name not in QUESTION_TYPES:
        f.error(f"type must be one of: {', '.join(QUESTION_TYPES)}" if type_name is not None
                else "missing required field 'type'", "type")
        return None, problems
    f.check_keys(COMMON_KEYS + TYPE_KEYS[type_name])
    points = f.number("points", 1.0, low=0, high=1000)
    if points == 0 and type_name != "description":
        f.error("points must be above 0", "points")
    common = {
        "id": f.slug("id") or "",
        "prompt": f.text("prompt"),
        "points": points or 1.0,
        "general_feedback": f.text("general_feedback", required=False),
    }
    question = _READERS[type_name](f, common)
    has_errors = any(not p.is_warning for p in problems)
    return (None if has_errors else question), problems


def to_courseware(question: QuestionBase) -> dict[str, Any]:
    """The quiz.yaml entry that ``from_courseware`` reads back as the same question."""
    written: dict[str, Any] = {"id": question.id, "type": question.type_name}
    if question.type_name != "description":
        written["points"] = question.points
    written["prompt"] = dict(question.prompt)
    if question.general_feedback:
        written["general_feedback"] = dict(question.general_feedback)
    written.update(_WRITERS[question.type_name](question))
    return written


__all__ = [
    "QUESTION_TYPES",
    "AcceptedAnswer",
    "AttemptScore",
    "Description",
    "Essay",
    "Grade",
    "InvalidResponse",
    "LocalText",
    "MatchPair",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "NumericAnswer",
    "Option",
    "OrderItem",
    "Ordering",
    "Part",
    "Problem",
    "Question",
    "QuestionBase",
    "ShortAnswer",
    "SingleChoice",
    "TrueFalse",
    "from_courseware",
    "localized",
    "score_attempt",
    "to_courseware",
]
