"""Writing questions as GIFT, the way Moodle's own exporter does, so Moodle and Sanaly both read them back.

Each question is written in one locale, as ``// [id:slug]`` then ``::slug::[markdown]prompt{...}``, answers
one per line. What GIFT cannot say is reported as a warning rather than silently lost: ordering questions
(Moodle has no GIFT form for them) are left out, and points, short-answer case rules, essay word limits and
rubric hints, and other languages do not travel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.config import DEFAULT_LOCALE
from app.quizzes.arrangement_types import Matching, Ordering
from app.quizzes.choice_types import MultipleChoice, SingleChoice, TrueFalse
from app.quizzes.gift_text import escape_gift
from app.quizzes.grading import QuestionBase
from app.quizzes.text_types import Description, Essay, Numeric, ShortAnswer

_FORMAT_PREFIXES = ("[moodle]", "[html]", "[plain]", "[markdown]")


@dataclass(frozen=True)
class GiftExport:
    text: str
    warnings: tuple[str, ...] = ()


def number(value: float) -> str:
    """A number as GIFT and PHP read it back exactly: ``5``, ``0.1``, ``33.333333333333336``, ``1e-05``."""
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value)


class _Writer:
    """Writes one question in one locale, noting what GIFT cannot carry."""

    def __init__(self, question: QuestionBase, locale: str, warnings: list[str]) -> None:
        self.question = question
        self.locale = locale
        self.warnings = warnings

    def warn(self, message: str) -> None:
        self.warnings.append(f"question {self.question.id}: {message}")

    def text(self, texts: Mapping[str, str], *, lead: bool = False) -> str:
        """A text escaped for GIFT; a leading ``[html]`` and the like is shielded by ``[markdown]``."""
        value = texts.get(self.locale)
        if value is None and texts:
            value = texts.get(DEFAULT_LOCALE, "")
            self.warn(f"no {self.locale} text, the Kazakh one is written")
        value = value or ""
        shielded = lead or value.startswith(_FORMAT_PREFIXES)
        return ("[markdown]" if shielded else "") + escape_gift(value)

    def spellings(self, texts: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
        if self.locale in texts:
            return texts[self.locale]
        self.warn(f"no {self.locale} spelling for an answer, the Kazakh ones are written")
        return texts.get(DEFAULT_LOCALE, ())

    def general(self) -> str:
        return f"\t####{self.text(self.question.general_feedback)}\n" if self.question.general_feedback else ""

    def feedback(self, texts: Mapping[str, str]) -> str:
        return f"#{self.text(texts)}" if texts else ""


def _choice(w: _Writer, q: SingleChoice | MultipleChoice) -> str:
    lines = []
    single = isinstance(q, SingleChoice)
    for index, option in enumerate(q.options):
        if single and option.weight == 100 and not (index and _all_full(q)):
            mark = "="
        elif option.weight == 0:
            text = option.text.get(w.locale, "")
            mark = "~%0%" if text.startswith("%") else "~"  # shields a text that looks like a weight
        else:
            mark = f"~%{number(option.weight)}%"
        lines.append(f"\t{mark}{w.text(option.text)}{w.feedback(option.feedback)}\n")
    return "{\n" + "".join(lines) + w.general() + "}"


def _all_full(q: SingleChoice | MultipleChoice) -> bool:
    """Every option fully right: all '=' would read as a short answer, so all but the first are '~%100%'."""
    return all(o.weight == 100 for o in q.options)


def _truefalse(w: _Writer, q: TrueFalse) -> str:
    right, wrong = (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
    body = "TRUE" if q.answer else "FALSE"
    if wrong or right:
        body += "#" + (w.text(wrong) if wrong else "")
    if right:
        body += "#" + w.text(right)
    general = f"####{w.text(q.general_feedback)}" if q.general_feedback else ""
    return "{" + body + general + "}"


def _matching(w: _Writer, q: Matching) -> str | None:
    if any("->" in pair.item.get(w.locale, "") for pair in q.pairs):
        w.warn("left out: '->' inside an item cannot be written in GIFT")
        return None
    if [pair.id for pair in q.pairs] != [f"p{n}" for n in range(1, len(q.pairs) + 1)]:
        w.warn("pair ids are not kept in GIFT; they become p1, p2, ...")
    lines = []
    for pair in q.pairs:
        match = escape_gift(pair.match.get(w.locale) or pair.match.get(DEFAULT_LOCALE, ""))
        lines.append(f"\t={w.text(pair.item) if pair.item else ''} -> {match}\n")
    return "{\n" + "".join(lines) + w.general() + "}"


def _short(w: _Writer, q: ShortAnswer) -> str | None:
    lines = []
    for answer in q.answers:
        feedback = w.feedback(answer.feedback)
        for spelling in w.spellings(answer.text):
            text = ("[markdown]" if spelling.startswith(_FORMAT_PREFIXES) else "") + escape_gift(spelling)
            lines.append(f"\t=%{number(answer.fraction)}%{text}{feedback}\n")
    if any("->" in line for line in lines):
        w.warn("left out: '->' in a short answer would make GIFT read it as a matching question")
        return None
    if q.case_sensitive:
        w.warn("GIFT has no case rule: Moodle will compare answers ignoring case")
    return "{\n" + "".join(lines) + w.general() + "}"


def _numeric(w: _Writer, q: Numeric) -> str:
    lines = []
    for answer in q.answers:
        if answer.value is None:
            lines.append(f"\t~#{w.text(answer.feedback)}\n")
        else:
            value = f"{number(answer.value)}:{number(answer.tolerance)}"
            lines.append(f"\t=%{number(answer.fraction)}%{value}{w.feedback(answer.feedback)}\n")
    return "{#\n" + "".join(lines) + w.general() + "}"


def _essay(w: _Writer, q: Essay) -> str:
    if q.min_words or q.max_words or q.rubric_hint:
        w.warn("word limits and the rubric hint are not kept in GIFT")
    return "{" + (f"####{w.text(q.general_feedback)}" if q.general_feedback else "") + "}"


def _answers(w: _Writer, q: QuestionBase) -> str | None:
    if isinstance(q, SingleChoice | MultipleChoice):
        if [o.id for o in q.options] != [chr(ord("a") + i) for i in range(len(q.options))]:
            w.warn("option ids are not kept in GIFT; they become a, b, c, ...")
        return _choice(w, q)
    if isinstance(q, TrueFalse):
        return _truefalse(w, q)
    if isinstance(q, Matching):
        return _matching(w, q)
    if isinstance(q, ShortAnswer):
        return _short(w, q)
    if isinstance(q, Numeric):
        return _numeric(w, q)
    if isinstance(q, Essay):
        return _essay(w, q)
    if q.general_feedback:
        w.warn("a description's general feedback is not kept in GIFT")
    return ""


def write_question(question: QuestionBase, locale: str, warnings: list[str]) -> str | None:
    """One question as a GIFT item, or None when GIFT cannot hold it (the warning says why)."""
    w = _Writer(question, locale, warnings)
    if isinstance(question, Ordering):
        w.warn("left out: Moodle's GIFT format has no ordering questions")
        return None
    head = f"// [id:{question.id}]\n::{escape_gift(question.id)}::{w.text(question.prompt, lead=True)}"
    if not isinstance(question, Description) and question.points != 1:
        w.warn(f"GIFT does not carry points: {question.points:g} points become 1")
    answers = _answers(w, question)
    return None if answers is None else f"{head}{answers}\n"


def to_gift(questions: Sequence[QuestionBase], locale: str = DEFAULT_LOCALE,
            categories: Mapping[str, str] | None = None) -> GiftExport:
    """Questions as a GIFT file in ``locale``; ``categories`` (question id to category) adds $CATEGORY lines."""
    warnings: list[str] = []
    items: list[str] = []
    current: str | None = None
    for question in questions:
        written = write_question(question, locale, warnings)
        if written is None:
            continue
        category = (categories or {}).get(question.id)
        if category and category != current:
            items.append(f"$CATEGORY: {category}\n")
            current = category
        items.append(written)
    return GiftExport("\n".join(items), tuple(warnings))
