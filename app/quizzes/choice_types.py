"""Questions answered by picking: single choice, multiple choice and true/false.

The marking follows Moodle's multiple-choice question: every option carries a weight in percent of the
question's points; a single-choice response earns the weight of the option picked, a multiple-choice response
the sum of the weights picked, so wrong picks with negative weights cost marks, and the total never goes below
zero nor above full marks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.quizzes.fields import Fields, LocalText, duplicates
from app.quizzes.grading import (
    Grade,
    InvalidResponse,
    Part,
    QuestionBase,
    as_id_list,
    clamp_fraction,
    is_blank,
)

WEIGHT_SUM_SLACK = 0.5
"""How far the positive weights of a multiple-choice question may add up from 100%: Moodle rounds the total
fraction to two decimals before it checks it, so 33.33 + 33.33 + 33.33 is accepted as 100%."""

OPTION_KEYS = ("id", "text", "correct", "weight", "feedback")


@dataclass(frozen=True, kw_only=True)
class Option:
    """One option of a choice question; ``weight`` is a percent of the question's points (-100..100)."""

    id: str
    text: LocalText
    weight: float = 0.0
    feedback: LocalText = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(QuestionBase):
    """What single and multiple choice share: options, and their feedback keyed ``option:<id>``."""

    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def _feedback_texts(self) -> dict[str, LocalText]:
        return {f"option:{o.id}": o.feedback for o in self.options if o.feedback}

    def _option_feedback(self, picked: tuple[str, ...]) -> tuple[str, ...]:
        keys = tuple(f"option:{o.id}" for o in self.options if o.id in picked and o.feedback)
        return keys + self._general()

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        for option in self.options:
            yield f"option {option.id}", option.text
            if option.feedback:
                yield f"option {option.id} feedback", option.feedback

    def _known(self, ids: list[str]) -> tuple[str, ...]:
        known = {o.id for o in self.options}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InvalidResponse("unknown_option", f"no option {unknown[0]!r} in this question")
        return tuple(o.id for o in self.options if o.id in ids)


@dataclass(frozen=True, kw_only=True)
class SingleChoice(ChoiceQuestion):
    """Pick one option. Usually one option is worth 100% and the others 0%; partial and negative weights are
    allowed as in Moodle, but a response never scores below zero."""

    type_name = "single"

    def validate_response(self, raw: object) -> str | None:
        if is_blank(raw):
            return None
        ids = as_id_list(raw)
        if len(ids) != 1:
            raise InvalidResponse("pick_one", "pick exactly one option")
        return self._known(ids)[0]

    def grade(self, response: str | None) -> Grade:
        picked = self.option(response) if isinstance(response, str) else None
        best = max(o.weight for o in self.options)
        parts = tuple(Part(o.id, (o is picked) == (o.weight == best)) for o in self.options)
        if picked is None:
            return Grade(0.0, self.points, parts, self._general())
        fraction = clamp_fraction(picked.weight / 100)
        return Grade(fraction, self.points, parts, self._option_feedback((picked.id,)))

    def correct_response(self) -> str:
        return max(self.options, key=lambda o: o.weight).id


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(ChoiceQuestion):
    """Pick any number of options; the weights picked add up (positive weights make 100% together)."""

    type_name = "multiple"

    def validate_response(self, raw: object) -> tuple[str, ...] | None:
        if is_blank(raw):
            return None
        return self._known(as_id_list(raw))

    def grade(self, response: tuple[str, ...] | None) -> Grade:
        picked = tuple(response or ())
        parts = tuple(Part(o.id, (o.id in picked) == (o.weight > 0)) for o in self.options)
        # Relative to the positive total, so 3 x 33.33% is full marks; within Moodle's slack this changes a
        # mark by less than half a percent.
        positive_total = sum(o.weight for o in self.options if o.weight > 0) or 100.0
        fraction = clamp_fraction(sum(o.weight for o in self.options if o.id in picked) / positive_total)
        return Grade(fraction, self.points, parts, self._option_feedback(picked))

    def correct_response(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.weight > 0)


@dataclass(frozen=True, kw_only=True)
class TrueFalse(QuestionBase):
    """A statement that is true or false, with the explanation for each of the two answers."""

    type_name = "truefalse"

    answer: bool
    feedback_true: LocalText = field(default_factory=dict)
    feedback_false: LocalText = field(default_factory=dict)

    def validate_response(self, raw: object) -> bool | None:
        if is_blank(raw):
            return None
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "1"):
            return True
        if isinstance(raw, str) and raw.strip().lower() in ("false", "0"):
            return False
        raise InvalidResponse("wrong_shape", "answer true or false")

    def grade(self, response: bool | None) -> Grade:
        if response is None:
            return Grade(0.0, self.points, (Part("answer", False),), self._general())
        chosen = "true" if response else "false"
        keys = ((chosen,) if self._feedback_texts().get(chosen) else ()) + self._general()
        right = response == self.answer
        return Grade(1.0 if right else 0.0, self.points, (Part("answer", right),), keys)

    def correct_response(self) -> bool:
        return self.answer

    def _feedback_texts(self) -> dict[str, LocalText]:
        texts = (("true", self.feedback_true), ("false", self.feedback_false))
        return {key: text for key, text in texts if text}

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        yield from ((f"feedback_{key}", text) for key, text in self._feedback_texts().items())


# --- reading and writing quiz.yaml -------------------------------------------------------------------------


def read_options(f: Fields) -> list[tuple[Option, str]]:
    """The options of a choice question, each with how it was marked: ``weight``, ``correct`` or ``none``."""
    read: list[tuple[Option, str]] = []
    for number, entry in enumerate(f.entries("options", minimum=2), start=1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        label = raw_id if isinstance(raw_id, str) else str(number)
        o = Fields(entry, f"{f.where}, option {label}", f.problems)
        if not o.is_mapping:
            continue
        o.check_keys(OPTION_KEYS)
        if o.has("correct") and o.has("weight"):
            o.error("give either correct or weight, not both")
        mode = "weight" if o.has("weight") else "correct" if o.has("correct") else "none"
        weight = o.number("weight", 0.0, low=-100, high=100) if mode == "weight" else (
            100.0 if o.boolean("correct", False) else 0.0)
        option = Option(id=o.slug("id") or label, text=o.text("text"), weight=weight or 0.0,
                        feedback=o.text("feedback", required=False))
        read.append((option, mode))
    for repeated in duplicates([option.id for option, _ in read]):
        f.error(f"two options have the id {repeated!r}", "options")
    return read


def read_single(f: Fields, common: dict[str, Any]) -> SingleChoice:
    options = [option for option, _ in read_options(f)]
    if options:
        best = max(o.weight for o in options)
        if best != 100:
            f.error("no option is correct: mark one option with correct: true (or weight: 100)", "options")
        elif sum(1 for o in options if o.weight == 100) > 1:
            f.warning("more than one option is fully correct; for several right answers use type: multiple")
    return SingleChoice(options=tuple(options), **common)


def read_multiple(f: Fields, common: dict[str, Any]) -> MultipleChoice:
    read = read_options(f)
    modes = {mode for _, mode in read}
    if {"weight", "correct"} <= modes:
        f.error("use weight or correct on the options, not both kinds", "options")
    options = [option for option, _ in read]
    if read and "weight" not in modes:
        options = weights_from_flags([(option, option.weight > 0) for option in options])
    positive = sum(o.weight for o in options if o.weight > 0)
    if options and not positive:
        f.error("no option is correct: mark at least one with correct: true", "options")
    elif options and abs(positive - 100) >= WEIGHT_SUM_SLACK:
        f.error(f"the positive weights add up to {positive:g}%, they must add up to 100%", "options")
    return MultipleChoice(options=tuple(options), **common)


def weights_from_flags(flagged: list[tuple[Option, bool]]) -> list[Option]:
    """``correct`` flags as weights: right options share 100%; wrong ones share -100%, so ticking every
    option scores zero."""
    right = sum(1 for _, flag in flagged if flag)
    wrong = len(flagged) - right
    return [
        Option(id=o.id, text=o.text, feedback=o.feedback,
               weight=(100 / right if flag else -100 / wrong) if right and (flag or wrong) else 0.0)
        for o, flag in flagged
    ]


def write_options(question: ChoiceQuestion) -> list[dict[str, Any]]:
    """Options for quiz.yaml, with ``correct`` flags wherever they say the same as the weights."""
    if isinstance(question, MultipleChoice):
        flagged = [(o, o.weight > 0) for o in question.options]
        use_flags = weights_from_flags(flagged) == list(question.options)
    else:
        use_flags = all(o.weight in (0, 100) for o in question.options)
    written = []
    for o in question.options:
        entry: dict[str, Any] = {"id": o.id, "text": dict(o.text)}
        if use_flags:
            entry["correct"] = o.weight > 0
        else:
            entry["weight"] = o.weight
        if o.feedback:
            entry["feedback"] = dict(o.feedback)
        written.append(entry)
    return written


def read_truefalse(f: Fields, common: dict[str, Any]) -> TrueFalse:
    if not f.has("answer"):
        f.error("missing required field 'answer' (true or false)")
    return TrueFalse(answer=f.boolean("answer", True), feedback_true=f.text("feedback_true", required=False),
                     feedback_false=f.text("feedback_false", required=False), **common)


def write_truefalse(question: TrueFalse) -> dict[str, Any]:
    written: dict[str, Any] = {"answer": question.answer}
    if question.feedback_true:
        written["feedback_true"] = dict(question.feedback_true)
    if question.feedback_false:
        written["feedback_false"] = dict(question.feedback_false)
    return written

