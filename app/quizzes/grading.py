"""What grading a question returns, and the base every question type shares.

Grading is pure: a question definition and a learner's response in, a `Grade` out. Nothing here knows about
requests, sessions or the database, so a regrade after a fixed key is just calling `grade()` again on the
stored responses, and every rule is tested without fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.quizzes.fields import LocalText

FRACTION_DECIMALS = 12
"""Fractions lose only float noise (0.1 + 0.2), so 2 of 3 items times 3 points is exactly 2 points."""
POINT_DECIMALS = 7
"""Points are kept to Moodle's precision (it stores marks with 7 decimals)."""


def clamp_fraction(value: float) -> float:
    """A fraction of the question's points, never below nothing or above full marks."""
    return round(min(1.0, max(0.0, value)), FRACTION_DECIMALS)


class InvalidResponse(ValueError):
    """A response a form cannot accept as it is; ``code`` is stable for translated messages."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Part:
    """One checkable part of a response: an option, a matched item, a pair of neighbours in an order."""

    key: str
    correct: bool


@dataclass(frozen=True)
class Grade:
    """The mark for one response.

    ``fraction`` is in [0, 1], or None while a trainer has not graded it (essays). ``feedback`` lists the
    keys of the feedback texts to show (``Question.feedback_text(key)``), so a grade holds in every language.
    """

    fraction: float | None
    max_points: float
    parts: tuple[Part, ...] = ()
    feedback: tuple[str, ...] = ()

    @property
    def needs_manual_grading(self) -> bool:
        return self.fraction is None

    @property
    def points(self) -> float | None:
        if self.fraction is None:
            return None
        return round(self.fraction * self.max_points, POINT_DECIMALS)

    @property
    def state(self) -> str:
        """``correct``, ``partial``, ``incorrect`` or ``needs_grading``: what the learner is told."""
        if self.fraction is None:
            return "needs_grading"
        if self.fraction >= 1:
            return "correct"
        return "partial" if self.fraction > 0 else "incorrect"


@dataclass(frozen=True, kw_only=True)
class QuestionBase:
    """What every question type has: a stable id, a prompt, points and general feedback.

    Texts are dicts per locale (``{"kk": ..., "ru": ..., "en": ...}``, Markdown); treat them as read-only.
    A response is first checked with ``validate_response`` (raw form values in, a clean response out,
    ``None`` for "not answered"), then marked with ``grade``, which accepts any clean response or None.
    """

    type_name: ClassVar[str] = ""
    auto_graded: ClassVar[bool] = True

    id: str
    prompt: LocalText
    points: float = 1.0
    general_feedback: LocalText = field(default_factory=dict)

    def validate_response(self, raw: object) -> Any:
        raise NotImplementedError

    def grade(self, response: Any) -> Grade:
        raise NotImplementedError

    def correct_response(self) -> Any:
        """A response that earns full marks: what "show correct answer" shows."""
        raise NotImplementedError

    def feedback_text(self, key: str) -> LocalText | None:
        """The text behind a feedback key of a `Grade`."""
        if key == "general":
            return self.general_feedback or None
        return self._feedback_texts().get(key)

    def _feedback_texts(self) -> dict[str, LocalText]:
        return {}

    def _general(self) -> tuple[str, ...]:
        return ("general",) if self.general_feedback else ()

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        """Every learner-visible text with a label, for translation checks and exports."""
        yield "prompt", self.prompt
        if self.general_feedback:
            yield "general_feedback", self.general_feedback


def is_blank(raw: object) -> bool:
    """What a form sends for "no answer": nothing, an empty string, an empty list or mapping."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset | dict):
        return not raw
    return False


def as_id_list(raw: object) -> list[str]:
    """Option ids from a form: one id, or a list of ids (a multi-select or checkboxes)."""
    if isinstance(raw, str):
        return [raw.strip()]
    if isinstance(raw, list | tuple | set | frozenset) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw if item.strip()]
    raise InvalidResponse("wrong_shape", "expected option ids")


@dataclass(frozen=True)
class AttemptScore:
    """The total of one attempt; ``passed`` is None while essays await a trainer."""

    points: float
    max_points: float
    percent: float
    passed: bool | None
    awaiting_grading: int


def score_attempt(grades: Sequence[Grade], pass_mark: float) -> AttemptScore:
    """Add up an attempt's grades and compare the percentage with the quiz's pass mark (a percent)."""
    points = round(sum(g.points or 0.0 for g in grades), POINT_DECIMALS)
    max_points = round(sum(g.max_points for g in grades), POINT_DECIMALS)
    percent = round(100 * points / max_points, POINT_DECIMALS) if max_points else 0.0
    pending = [g for g in grades if g.needs_manual_grading]
    passed: bool | None = percent >= pass_mark
    if pending and not passed:
        # Ungraded essays can only add points: the attempt is undecided until they could no longer pass it.
        best_case = points + sum(g.max_points for g in pending)
        passed = None if max_points and 100 * best_case / max_points >= pass_mark else False
    return AttemptScore(points, max_points, percent, passed, len(pending))
