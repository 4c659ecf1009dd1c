"""Questions answered by typing (short answer, numeric, essay) and the description item, which asks nothing.

Short answers and numbers follow Moodle: the answers are tried in the order the author wrote them and the
first one that accepts the response decides the mark and the feedback, so a catch-all answer goes last.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from app.quizzes.fields import Fields, LocalText
from app.quizzes.grading import Grade, InvalidResponse, Part, QuestionBase, clamp_fraction, is_blank

MAX_TYPED_LENGTH = 255
"""Longest short or numeric response accepted, as Moodle's one-line answer box."""

_UNESCAPED_STARS = re.compile(r"(?<!\\)\*+")


def matches_pattern(response: str, pattern: str, *, case_sensitive: bool) -> bool:
    """Moodle's short-answer comparison: both NFC-normalised, the response trimmed, ``*`` matches any run of
    characters and ``\\*`` a literal star; the whole response must match."""
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response).strip()
    bits = [re.escape(bit.replace("\\*", "*")) for bit in _UNESCAPED_STARS.split(pattern)]
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(".*".join(bits), response, flags) is not None


def example_of(pattern: str) -> str:
    """A response the pattern accepts, for showing a correct answer: stars dropped, escapes undone."""
    example = _UNESCAPED_STARS.sub("", pattern).replace("\\*", "*").strip()
    return example or "x"


@dataclass(frozen=True, kw_only=True)
class AcceptedAnswer:
    """Spellings accepted per locale (any locale's spelling counts), the credit in percent, the feedback."""

    text: dict[str, tuple[str, ...]]
    fraction: float = 100.0
    feedback: LocalText = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(QuestionBase):
    """A word or phrase typed in, compared with the accepted answers (case-insensitive unless asked)."""

    type_name = "short"

    answers: tuple[AcceptedAnswer, ...]
    case_sensitive: bool = False

    def validate_response(self, raw: object) -> str | None:
        if is_blank(raw):
            return None
        if not isinstance(raw, str) or len(raw) > MAX_TYPED_LENGTH:
            raise InvalidResponse("wrong_shape", f"type an answer of at most {MAX_TYPED_LENGTH} characters")
        return raw.strip()

    def matching_answer(self, response: str) -> int | None:
        for index, answer in enumerate(self.answers):
            for patterns in answer.text.values():
                if any(matches_pattern(response, p, case_sensitive=self.case_sensitive) for p in patterns):
                    return index
        return None

    def grade(self, response: str | None) -> Grade:
        index = self.matching_answer(response) if response else None
        if index is None:
            return Grade(0.0, self.points, (Part("answer", False),), self._general())
        answer = self.answers[index]
        fraction = clamp_fraction(answer.fraction / 100)
        keys = ((f"answer:{index}",) if answer.feedback else ()) + self._general()
        return Grade(fraction, self.points, (Part("answer", fraction >= 1),), keys)

    def correct_response(self) -> str | None:
        for answer in self.answers:
            for patterns in answer.text.values():
                for pattern in patterns:
                    if answer.fraction >= 100 and self.grade(example_of(pattern)).fraction == 1:
                        return example_of(pattern)
        return None

    def _feedback_texts(self) -> dict[str, LocalText]:
        return {f"answer:{i}": a.feedback for i, a in enumerate(self.answers) if a.feedback}

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        yield from ((f"answer {key[7:]} feedback", text) for key, text in self._feedback_texts().items())


def parse_number(raw: str) -> float:
    """A number as people type it in Kazakhstan and elsewhere: ``3,5`` or ``3.5``, ``1 000``, ``−2``."""
    text = raw.strip().replace("\u2212", "-")
    text = re.sub(r"[\s\u00a0\u202f\u2009']", "", text)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise InvalidResponse("not_a_number", "type a number, e.g. 12 or 3,5")
    number = float(text)
    if not math.isfinite(number):
        raise InvalidResponse("not_a_number", "type a number, e.g. 12 or 3,5")
    return number


@dataclass(frozen=True, kw_only=True)
class NumericAnswer:
    """``value`` ± ``tolerance`` earns ``fraction`` percent; a value of None accepts any other number."""

    value: float | None
    tolerance: float = 0.0
    fraction: float = 100.0
    feedback: LocalText = field(default_factory=dict)

    def accepts(self, number: float) -> bool:
        if self.value is None:
            return True
        # Moodle widens the interval by a hair (MDL-3225) so that 0.1 + 0.2 still equals 0.3.
        epsilon = 1e-14
        margin = abs(self.tolerance) + epsilon * max(abs(self.tolerance), abs(self.value), epsilon)
        return self.value - margin <= number <= self.value + margin


@dataclass(frozen=True, kw_only=True)
class Numeric(QuestionBase):
    """A number typed in, accepted within a tolerance; several answers may earn different credit."""

    type_name = "numeric"

    answers: tuple[NumericAnswer, ...]

    def validate_response(self, raw: object) -> float | None:
        if is_blank(raw):
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
            return float(raw)
        if not isinstance(raw, str) or len(raw) > MAX_TYPED_LENGTH:
            raise InvalidResponse("not_a_number", "type a number, e.g. 12 or 3,5")
        return parse_number(raw)

    def matching_answer(self, number: float) -> int | None:
        return next((i for i, answer in enumerate(self.answers) if answer.accepts(number)), None)

    def grade(self, response: float | None) -> Grade:
        index = None if response is None else self.matching_answer(response)
        if index is None:
            return Grade(0.0, self.points, (Part("answer", False),), self._general())
        answer = self.answers[index]
        fraction = clamp_fraction(answer.fraction / 100)
        keys = ((f"answer:{index}",) if answer.feedback else ()) + self._general()
        return Grade(fraction, self.points, (Part("answer", fraction >= 1),), keys)

    def correct_response(self) -> float | None:
        for answer in self.answers:
            if answer.value is not None and answer.fraction >= 100 and self.grade(answer.value).fraction == 1:
                return answer.value
        return None

    def _feedback_texts(self) -> dict[str, LocalText]:
        return {f"answer:{i}": a.feedback for i, a in enumerate(self.answers) if a.feedback}

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        yield from ((f"answer {key[7:]} feedback", text) for key, text in self._feedback_texts().items())


def count_words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True, kw_only=True)
class Essay(QuestionBase):
    """Free text that a trainer grades against the rubric hint; until then the grade is pending."""

    type_name = "essay"
    auto_graded: ClassVar[bool] = False

    min_words: int | None = None
    max_words: int | None = None
    rubric_hint: LocalText = field(default_factory=dict)

    def validate_response(self, raw: object) -> str | None:
        if is_blank(raw):
            return None
        if not isinstance(raw, str):
            raise InvalidResponse("wrong_shape", "write your answer as text")
        words = count_words(raw)
        if self.min_words and words < self.min_words:
            raise InvalidResponse("too_few_words", f"write at least {self.min_words} words (now {words})")
        if self.max_words and words > self.max_words:
            raise InvalidResponse("too_many_words", f"write at most {self.max_words} words (now {words})")
        return raw.strip()

    def grade(self, response: str | None) -> Grade:
        if response is None:
            return Grade(0.0, self.points, (), self._general())
        return Grade(None, self.points, (), self._general())

    def grade_manually(self, points: float) -> Grade:
        """The trainer's mark, in points out of the question's points."""
        if not 0 <= points <= self.points:
            raise InvalidResponse("points_out_of_range", f"give between 0 and {self.points:g} points")
        return Grade(clamp_fraction(points / self.points) if self.points else 0.0, self.points, (),
                     self._general())

    def correct_response(self) -> None:
        return None


@dataclass(frozen=True, kw_only=True)
class Description(QuestionBase):
    """Text shown between questions (a case, a source to read); it asks nothing and carries no points."""

    type_name = "description"
    auto_graded: ClassVar[bool] = False

    points: float = 0.0

    def validate_response(self, raw: object) -> None:
        return None

    def grade(self, response: object) -> Grade:
        return Grade(0.0, 0.0)

    def correct_response(self) -> None:
        return None


# --- reading and writing quiz.yaml -------------------------------------------------------------------------


def read_short(f: Fields, common: dict[str, Any]) -> ShortAnswer:
    answers = []
    for number, entry in enumerate(f.entries("answers", minimum=1), start=1):
        a = Fields(entry, f"{f.where}, answer {number}", f.problems)
        if a.is_mapping:
            a.check_keys(("text", "fraction", "feedback"))
            fraction = a.number("fraction", 100.0, low=0, high=100) or 0.0
            feedback = a.text("feedback", required=False)
            answers.append(AcceptedAnswer(text=a.text_lists("text"), fraction=fraction, feedback=feedback))
    case_sensitive = f.boolean("case_sensitive", False)
    question = ShortAnswer(answers=tuple(answers), case_sensitive=case_sensitive, **common)
    if answers and all(a.text for a in answers) and question.correct_response() is None:
        f.error("no typed answer can earn full marks: give an answer with fraction 100 before any catch-all")
    return question


def read_numeric(f: Fields, common: dict[str, Any]) -> Numeric:
    answers: list[NumericAnswer] = []
    for number, entry in enumerate(f.entries("answers", minimum=1), start=1):
        a = Fields(entry, f"{f.where}, answer {number}", f.problems)
        if a.is_mapping:
            answers.append(_read_numeric_answer(a))
    if any(a.value is None for a in answers[:-1]):
        f.error("the catch-all answer (value: '*') must come last: answers after it are never reached")
    question = Numeric(answers=tuple(answers), **common)
    if answers and question.correct_response() is None:
        f.error("no number can earn full marks: give an answer with fraction 100")
    return question


def _read_numeric_answer(a: Fields) -> NumericAnswer:
    a.check_keys(("value", "tolerance", "min", "max", "fraction", "feedback"))
    fraction = a.number("fraction", 100.0, low=0, high=100) or 0.0
    feedback = a.text("feedback", required=False)
    if a.data.get("value") == "*":
        if fraction:
            a.error("the catch-all answer (value: '*') earns nothing: set fraction: 0")
        return NumericAnswer(value=None, fraction=0.0, feedback=feedback)
    if a.has("min") or a.has("max"):
        if a.has("value") or a.has("tolerance"):
            a.error("give either value (with tolerance) or min and max, not both")
        low, high = a.number("min"), a.number("max")
        if low is None or high is None or low > high:
            a.error("a range needs min and max, with min not above max")
            return NumericAnswer(value=0.0, fraction=fraction, feedback=feedback)
        # Stored as Moodle stores a GIFT range: the middle and the distance to either end.
        middle = (low + high) / 2
        return NumericAnswer(value=middle, tolerance=high - middle, fraction=fraction, feedback=feedback)
    if not a.has("value"):
        a.error("missing required field 'value' (a number, or '*' for any other answer)")
    value = a.number("value", 0.0)
    tolerance = a.number("tolerance", 0.0, low=0)
    return NumericAnswer(value=value or 0.0, tolerance=tolerance or 0.0, fraction=fraction, feedback=feedback)


def write_short(question: ShortAnswer) -> dict[str, Any]:
    answers = []
    for answer in question.answers:
        entry: dict[str, Any] = {"text": {locale: list(p) for locale, p in answer.text.items()},
                                 "fraction": answer.fraction}
        if answer.feedback:
            entry["feedback"] = dict(answer.feedback)
        answers.append(entry)
    return {"case_sensitive": question.case_sensitive, "answers": answers}


def write_numeric(question: Numeric) -> dict[str, Any]:
    answers = []
    for answer in question.answers:
        entry: dict[str, Any] = ({"value": "*"} if answer.value is None
                                 else {"value": answer.value, "tolerance": answer.tolerance})
        entry["fraction"] = answer.fraction
        if answer.feedback:
            entry["feedback"] = dict(answer.feedback)
        answers.append(entry)
    return {"answers": answers}


def read_essay(f: Fields, common: dict[str, Any]) -> Essay:
    low, high = f.integer("min_words", None, low=1), f.integer("max_words", None, low=1)
    if low and high and low > high:
        f.error("min_words is above max_words", "min_words")
    return Essay(min_words=low, max_words=high, rubric_hint=f.text("rubric_hint", required=False), **common)


def write_essay(question: Essay) -> dict[str, Any]:
    written: dict[str, Any] = {}
    if question.min_words:
        written["min_words"] = question.min_words
    if question.max_words:
        written["max_words"] = question.max_words
    if question.rubric_hint:
        written["rubric_hint"] = dict(question.rubric_hint)
    return written


def read_description(f: Fields, common: dict[str, Any]) -> Description:
    if f.has("points") and common.get("points"):
        f.error("a description carries no points", "points")
    return Description(**{**common, "points": 0.0})


def write_description(question: Description) -> dict[str, Any]:
    return {}
