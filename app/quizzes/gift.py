"""Moodle's GIFT format: import into Sanaly's question types, and export back (``to_gift``).

The import follows Moodle's own importer (question/format/gift/format.php) rule by rule, so a file written for
Moodle imports as Moodle would import it: items are separated by blank lines; whole-line ``//`` comments are
dropped (``// [id:...]`` names the question); ``::title::``; ``\\`` escapes ``~ = # { } :`` and ``\\n`` breaks
a line; the first ``{...}`` holds the answers (none: a description; empty: an essay; text after it: a
missing-word question); ``####`` starts general feedback, ``#`` an answer's feedback; ``%50%`` weights an
answer; ``$CATEGORY:`` sets the category of the questions that follow.

A GIFT file has one language, so it is imported into one chosen locale. A malformed item raises `GiftError`
with its line, and nothing is imported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from app.config import DEFAULT_LOCALE
from app.quizzes.arrangement_types import Matching, MatchPair
from app.quizzes.choice_types import WEIGHT_SUM_SLACK, MultipleChoice, Option, SingleChoice, TrueFalse
from app.quizzes.fields import SLUG
from app.quizzes.gift_export import GiftExport, to_gift
from app.quizzes.gift_text import BLANK, FORMATS, hide_escapes, restore_escapes, show_escapes, to_markdown
from app.quizzes.questions import Question
from app.quizzes.text_types import AcceptedAnswer, Description, Essay, Numeric, NumericAnswer, ShortAnswer

WEIGHT = re.compile(r"^%-*[0-9]{1,2}\.?[0-9]*%")
"""Moodle's test for an answer weight such as ``%50%``, ``%-33.3333%`` or ``%100%``."""
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
IDNUMBER = re.compile(r"\[id:((?:\\]|[^\]\x00-\x1f])+)\]")
TRUE_FALSE = ("T", "TRUE", "F", "FALSE")


class GiftError(ValueError):
    """A malformed GIFT item: the line it starts on (or the line of the faulty answer) and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class GiftImport:
    questions: tuple[Question, ...]
    categories: dict[str, str] = field(default_factory=dict)
    """The ``$CATEGORY`` in force for each question id, when the file sets one."""
    warnings: tuple[str, ...] = ()


@dataclass
class _Item:
    """One blank-line-separated item of the file, with what the answer parsers need to report a line."""

    line: int
    lines: list[str]
    locale: str
    warnings: list[str]
    text_format: str = "moodle"

    def error(self, message: str, fragment: str = "") -> GiftError:
        needle = show_escapes(fragment).strip().split("\n")[0].strip()
        for offset, line in enumerate(self.lines):
            if needle and needle in line:
                return GiftError(self.line + offset, message)
        return GiftError(self.line, message)

    def text(self, raw: str, default: str | None = None) -> dict[str, str]:
        """A fragment as Moodle reads it (``[format]`` prefix, escapes, trimmed), converted to Markdown."""
        text_format, body = split_format(raw.strip(), default or self.text_format)
        markdown = to_markdown(restore_escapes(body).strip(), text_format).replace(BLANK, "_____")
        return {self.locale: markdown} if markdown else {}

    def plain(self, raw: str, *, formats: bool = True) -> str:
        """A fragment Moodle keeps as typed: a short-answer spelling (after any ``[format]`` prefix) or the
        choice of a matching pair (where Moodle reads no prefix)."""
        body = split_format(raw.strip(), self.text_format)[1] if formats else raw
        return restore_escapes(body).strip()


def split_format(text: str, default: str) -> tuple[str, str]:
    """A leading ``[html]``, ``[plain]``, ``[markdown]`` or ``[moodle]`` sets a text's format."""
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return text[1:end], text[end + 1:]
    return default, text


def parse_gift(text: str, locale: str = DEFAULT_LOCALE) -> GiftImport:
    """Every question of a GIFT file, in ``locale``; raises `GiftError` at the first malformed item."""
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    questions: list[Question] = []
    categories: dict[str, str] = {}
    warnings: list[str] = []
    category: str | None = None
    for item in _items(lines, locale, warnings):
        found = _read_item(item, len(questions) + 1)
        if isinstance(found, str):
            category = found
        elif found is not None:
            question, wanted_id = found
            question = _with_unique_id(question, wanted_id, {q.id for q in questions})
            questions.append(question)
            if category:
                categories[question.id] = category
    return GiftImport(tuple(questions), categories, tuple(warnings))


def _items(lines: list[str], locale: str, warnings: list[str]) -> list[_Item]:
    items: list[_Item] = []
    current: list[str] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            current.append(line.strip())
        elif current:
            items.append(_Item(number - len(current), current, locale, warnings))
            current = []
    return items


def _read_item(item: _Item, position: int) -> str | tuple[Question, str] | None:
    comments = "\n".join(line for line in item.lines if line.startswith("//"))
    text = hide_escapes("\n".join(" " if line.startswith("//") else line for line in item.lines).strip())
    if not text:
        return None
    if text.startswith("$CATEGORY:"):
        category = restore_escapes(text[len("$CATEGORY:"):]).strip()
        if "\n" in category:
            # Moodle would take the question below as part of the category's name and lose it.
            raise item.error("put a blank line after a $CATEGORY line")
        return category
    name = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name, text = restore_escapes(text[:end]).strip(), text[end + 2:].strip()
    start, finish = text.find("{"), text.find("}")
    if (start < 0) != (finish < 0) or finish < start:
        raise item.error("unbalanced braces: every '{' needs a '}' after it (write \\{ or \\} for a brace in text)")
    if start >= 0 and ("{" in text[finish + 1:] or "}" in text[finish + 1:]):
        raise item.error("a second '{...}' in one question: write \\{ and \\} for braces in the text")
    answers = text[start + 1:finish].strip() if start >= 0 else ""
    if start < 0:
        prompt = text
    elif text.endswith("}"):
        prompt = text[:start] + text[finish + 1:]
    else:
        prompt = text[:start] + BLANK + text[finish + 1:]
    general = ""
    if "####" in answers:
        cut = answers.rfind("####")
        answers, general = answers[:cut].strip(), answers[cut + 4:]
    item.text_format = split_format(prompt.strip(), "moodle")[0]
    common = {"id": "", "prompt": item.text(prompt, "moodle"), "general_feedback": item.text(general)}
    if not common["prompt"]:
        raise item.error("the question has no text")
    question = _question(item, start < 0, answers, common)
    match = IDNUMBER.search(comments)
    idnumber = match.group(1).replace("\\]", "]").strip() if match else ""
    wanted = idnumber if SLUG.match(idnumber) else slugify(name) or f"q{position:02d}"
    if isinstance(question, ShortAnswer) and question.correct_response() is None:
        raise item.error("no answer earns full marks")
    return question, wanted


def _question(item: _Item, description: bool, answers: str, common: dict) -> Question:
    if description:
        return Description(**{**common, "points": 0.0})
    if not answers:
        return Essay(**common)
    if answers.startswith("#"):
        return _numeric(item, answers[1:], common)
    if "~" in answers:
        return _choice(item, answers, common)
    if "=" in answers and "->" in answers:
        return _matching(item, answers, common)
    head = answers.split("#", 1)[0].strip() if answers.find("#") > 0 else answers
    if head in TRUE_FALSE:
        return _truefalse(item, answers, common)
    return _short(item, answers, common)


def _split_answers(answers: str, marker: str) -> list[str]:
    parts = answers.split(marker)
    if not parts[0].strip():
        parts = parts[1:]
    return parts


def _weight(item: _Item, raw: str, default: float, low: float) -> tuple[float, str]:
    """A leading ``%50%`` weight (percent) and the rest of the answer."""
    if not WEIGHT.match(raw):
        return default, raw
    end = raw.index("%", 1)
    try:
        weight = float(raw[1:end])
    except ValueError:
        raise item.error(f"the weight %{raw[1:end]}% is not a number", raw) from None
    if not low <= weight <= 100:
        raise item.error(f"the weight {weight:g}% is outside {low:g}..100", raw)
    return weight, raw[end + 1:]


def _answer_and_feedback(item: _Item, raw: str) -> tuple[str, dict[str, str]]:
    text, _, feedback = raw.partition("#")
    return text, item.text(feedback)


def _option_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def _choice(item: _Item, answers: str, common: dict) -> SingleChoice | MultipleChoice:
    single = "=" in answers
    options: list[Option] = []
    for raw in _split_answers(answers.replace("=", "~="), "~"):
        raw = raw.strip()
        if raw.startswith("="):
            weight, raw = 100.0, raw[1:]
        else:
            weight, raw = _weight(item, raw, 0.0, -100)
        text, feedback = _answer_and_feedback(item, raw)
        if not item.text(text):
            item.warnings.append(f"line {item.line}: an answer with no text was left out, as Moodle does")
            continue
        options.append(Option(id=_option_id(len(options)), text=item.text(text), weight=weight,
                              feedback=feedback))
    if len(options) < 2:
        raise item.error("a multiple-choice question needs at least two answers")
    if single:
        if max(o.weight for o in options) != 100:
            raise item.error("the answer marked '=' has no text")
        return SingleChoice(options=tuple(options), **common)
    positive = sum(o.weight for o in options if o.weight > 0)
    if abs(positive - 100) >= WEIGHT_SUM_SLACK:
        raise item.error(f"the answers' positive weights add up to {positive:g}%, not 100% "
                         "(mark the right answer with '=' or weight the right answers to 100% together)")
    return MultipleChoice(options=tuple(options), **common)


def _matching(item: _Item, answers: str, common: dict) -> Matching:
    pairs: list[MatchPair] = []
    for raw in _split_answers(answers, "="):
        if "->" not in raw:
            raise item.error("every answer of a matching question needs '->' between item and match", raw)
        left, _, right = raw.partition("->")
        match = item.plain(right, formats=False)
        if not match:
            raise item.error("nothing after '->'", raw)
        pairs.append(MatchPair(id=f"p{len(pairs) + 1}", item=item.text(left), match={item.locale: match}))
    if sum(1 for pair in pairs if pair.item) < 2:
        raise item.error("a matching question needs at least two pairs with an item")
    return Matching(pairs=tuple(pairs), **common)


def _truefalse(item: _Item, answers: str, common: dict) -> TrueFalse:
    bits = answers.split("#", 2) + ["", ""]
    answer = item.plain(bits[0]) in ("T", "TRUE")
    wrong, right = item.text(bits[1]), item.text(bits[2])
    if answer:
        return TrueFalse(answer=True, feedback_true=right, feedback_false=wrong, **common)
    return TrueFalse(answer=False, feedback_true=wrong, feedback_false=right, **common)


def _short(item: _Item, answers: str, common: dict) -> ShortAnswer:
    accepted: list[AcceptedAnswer] = []
    for raw in _split_answers(answers, "="):
        fraction, rest = _weight(item, raw.strip(), 100.0, 0)
        text, feedback = _answer_and_feedback(item, rest)
        pattern = item.plain(text)
        if not pattern:
            continue
        previous = accepted[-1] if accepted else None
        if previous and (previous.fraction, previous.feedback) == (fraction, feedback):
            # One answer with several spellings, as quiz.yaml writes it.
            spellings = previous.text[item.locale] + (pattern,)
            accepted[-1] = AcceptedAnswer(text={item.locale: spellings}, fraction=fraction, feedback=feedback)
        else:
            accepted.append(AcceptedAnswer(text={item.locale: (pattern,)}, fraction=fraction, feedback=feedback))
    if not accepted:
        raise item.error("a short-answer question needs at least one answer")
    return ShortAnswer(answers=tuple(accepted), **common)


def _numeric(item: _Item, answers: str, common: dict) -> Numeric:
    wrong = ""
    if "~" in answers:
        answers, wrong = answers[:answers.index("~")], answers[answers.index("~"):]
    read: list[NumericAnswer] = []
    for raw in _split_answers(answers, "="):
        fraction, rest = _weight(item, raw.strip(), 100.0, 0)
        text, feedback = _answer_and_feedback(item, rest)
        value, tolerance = _number_and_tolerance(item, item.plain(text), raw)
        read.append(NumericAnswer(value=value, tolerance=tolerance, fraction=fraction, feedback=feedback))
    if not read:
        raise item.error("a numerical question needs at least one answer")
    if wrong:
        read.append(NumericAnswer(value=None, fraction=0.0, feedback=_answer_and_feedback(item, wrong)[1]))
    question = Numeric(answers=tuple(read), **common)
    if question.correct_response() is None:
        raise item.error("no answer earns full marks")
    return question


def _number_and_tolerance(item: _Item, text: str, raw: str) -> tuple[float, float]:
    """``5``, ``5:0.5`` (answer and margin) or ``1..5`` (a range, kept as its middle and half-width)."""
    if text.find("..") > 0:
        low, high = (_number(item, part, raw) for part in text.split("..", 1))
        middle = (low + high) / 2
        return middle, abs(high - middle)
    if text.find(":") > 0:
        value, margin = (_number(item, part, raw) for part in text.split(":", 1))
        return value, abs(margin)
    return _number(item, text, raw), 0.0


def _number(item: _Item, text: str, raw: str) -> float:
    if not NUMBER.match(text.strip()):
        raise item.error(f"{text.strip()!r} is not a number (write 3.5, not 3,5)", raw)
    return float(text)


def slugify(name: str) -> str:
    """A question title as a slug: Latin letters and digits kept, the rest folded to hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")


def _with_unique_id(question: Question, wanted: str, taken: set[str]) -> Question:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    return replace(question, id=candidate)


__all__ = ["GiftError", "GiftExport", "GiftImport", "parse_gift", "to_gift"]
