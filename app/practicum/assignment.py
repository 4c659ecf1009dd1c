"""The practicum's writing assignment: what the learner writes, within which limits, and the trainer's rubric.

Pure, like the scenario: assignment.yaml's data becomes frozen dataclasses; a submission is a plain mapping of
part id to the text as written; a grade is the level a trainer chose for each rubric criterion. The web app
stores and shows these; the limits and the arithmetic are decided here, so the server enforces them the same
way whatever the browser sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from app.practicum.authoring import FileChecker, Problem, Texts, place

ASSIGNMENT_KEYS = ("title", "prompt", "parts", "rubric")
PART_KEYS = ("id", "label", "guidance", "min_words", "max_words")
CRITERION_KEYS = ("id", "title", "levels")
LEVEL_KEYS = ("points", "descriptor")

# A word limit alone lets one endless "word" through; this caps the characters at a generous average per word
# (Kazakh words run long, and a post may carry a link), so no part can be a megabyte of text.
CHARACTERS_PER_WORD = 40

# Words are separated by any whitespace (including no-break and zero-width spaces) and by dashes set without
# spaces ("бүгін—ертең"). Hyphens, apostrophes and slashes join: "қазақ-орыс", "don't", "и/или" are one word.
_SEPARATORS = re.compile(r"[\s\u200b\u2013\u2014\u2015]+")


@dataclass(frozen=True)
class Part:
    """One piece the learner writes, such as the headline, with its word limits."""

    id: str
    label: Texts
    guidance: Texts
    min_words: int
    max_words: int

    @property
    def max_characters(self) -> int:
        return self.max_words * CHARACTERS_PER_WORD


@dataclass(frozen=True)
class Level:
    points: int
    descriptor: Texts  # what work at this level looks like


@dataclass(frozen=True)
class RubricCriterion:
    id: str
    title: Texts
    levels: tuple[Level, ...]  # weakest first; points rise with each level

    @property
    def max_points(self) -> int:
        return self.levels[-1].points


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[RubricCriterion, ...]

    @property
    def max_points(self) -> int:
        return sum(criterion.max_points for criterion in self.criteria)


@dataclass(frozen=True)
class Assignment:
    title: Texts
    prompt: Texts  # Markdown: the task, shown with the rubric before the learner writes
    parts: tuple[Part, ...]
    rubric: Rubric


class PartProblemKind(StrEnum):
    MISSING = "missing"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_MANY_CHARACTERS = "too_many_characters"
    UNKNOWN_PART = "unknown_part"


@dataclass(frozen=True)
class PartProblem:
    """Why a part of a submission is refused, as data the form words in the learner's language."""

    part_id: str
    kind: PartProblemKind
    count: int  # words written (characters for TOO_MANY_CHARACTERS)
    limit: int  # the limit broken; 0 for an unknown part

    def __str__(self) -> str:
        return f"{self.part_id}: {self.kind.value.replace('_', ' ')} ({self.count}, limit {self.limit})"


class InvalidGrade(ValueError):
    """A grade that does not fit the rubric: an unknown criterion or level, or a criterion left ungraded."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def count_words(text: str) -> int:
    """Words as a reader counts them, in Kazakh, Russian or English.

    A word is a run of characters between separators holding at least one letter or digit, so a hashtag, a
    link, "14:05" or "№5" is one word and a lone dash, an ellipsis, quotation marks or an emoji is none.
    """
    return sum(1 for token in _SEPARATORS.split(text) if any(char.isalnum() for char in token))


def validate_submission(assignment: Assignment, answers: Mapping[str, str]) -> list[PartProblem]:
    """Each part's problem with its word and character limits, in the assignment's order; none: valid."""
    problems: list[PartProblem] = []
    for part in assignment.parts:
        text = answers.get(part.id, "")
        words = count_words(text)
        if words == 0:
            problems.append(PartProblem(part.id, PartProblemKind.MISSING, 0, part.min_words))
        elif words < part.min_words:
            problems.append(PartProblem(part.id, PartProblemKind.TOO_SHORT, words, part.min_words))
        elif words > part.max_words:
            problems.append(PartProblem(part.id, PartProblemKind.TOO_LONG, words, part.max_words))
        elif len(text) > part.max_characters:
            problems.append(PartProblem(part.id, PartProblemKind.TOO_MANY_CHARACTERS, len(text), part.max_characters))
    known = {part.id for part in assignment.parts}
    problems += [
        PartProblem(part_id, PartProblemKind.UNKNOWN_PART, 0, 0) for part_id in answers if part_id not in known
    ]
    return problems


def score_rubric(rubric: Rubric, chosen_levels: Mapping[str, int]) -> tuple[int, int]:
    """The chosen levels' points and the rubric's maximum; InvalidGrade unless each criterion has a level.

    `chosen_levels` maps each criterion id to the index of its chosen level, 0 being the weakest.
    """
    problems = [
        f"unknown criterion {criterion_id!r}"
        for criterion_id in chosen_levels
        if criterion_id not in {criterion.id for criterion in rubric.criteria}
    ]
    points = 0
    for criterion in rubric.criteria:
        index = chosen_levels.get(criterion.id)
        if index is None:
            problems.append(f"criterion {criterion.id!r} is not graded")
        elif isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(criterion.levels):
            problems.append(f"criterion {criterion.id!r} has no level {index!r} (0 to {len(criterion.levels) - 1})")
        else:
            points += criterion.levels[index].points
    if problems:
        raise InvalidGrade(problems)
    return points, rubric.max_points


# --- reading and checking assignment.yaml -------------------------------------------------------------------

_Identified = TypeVar("_Identified", Part, RubricCriterion)


def parse_assignment(data: Any) -> tuple[Assignment | None, list[Problem], list[Problem]]:
    """Read assignment.yaml's data: an Assignment (None on any error), every error, every warning."""
    check = FileChecker()
    top = check.keys(data, "assignment", ASSIGNMENT_KEYS)
    if top is None:
        return None, check.errors, check.warnings
    title = check.texts(top, "title", "assignment")
    prompt = check.texts(top, "prompt", "assignment")
    raw_parts = check.items(top, "parts", "assignment") or []
    parsed_parts = [_parse_part(raw, place("part", raw, n), check) for n, raw in enumerate(raw_parts, 1)]
    parts = _unique(parsed_parts, "part", check)
    raw_criteria = check.items(top, "rubric", "assignment") or []
    parsed_criteria = [
        _parse_criterion(raw, place("criterion", raw, n), check) for n, raw in enumerate(raw_criteria, 1)
    ]
    criteria = _unique(parsed_criteria, "criterion", check)
    if check.errors:
        return None, check.errors, check.warnings
    return Assignment(title, prompt, tuple(parts), Rubric(tuple(criteria))), check.errors, check.warnings


def _parse_part(raw: Any, where: str, check: FileChecker) -> Part | None:
    item = check.keys(raw, where, PART_KEYS)
    if item is None:
        return None
    part_id = check.slug(item, "id", where)
    label = check.texts(item, "label", where)
    guidance = check.texts(item, "guidance", where)
    least = check.integer(item, "min_words", where, minimum=1)
    most = check.integer(item, "max_words", where, minimum=1)
    if least is not None and most is not None and most < least:
        check.error(where, f"`max_words` ({most}) is less than `min_words` ({least})")
    if part_id is None or least is None or most is None:
        return None
    return Part(part_id, label, guidance, least, most)


def _parse_criterion(raw: Any, where: str, check: FileChecker) -> RubricCriterion | None:
    item = check.keys(raw, where, CRITERION_KEYS)
    if item is None:
        return None
    criterion_id = check.slug(item, "id", where)
    title = check.texts(item, "title", where)
    levels: list[Level] = []
    raw_levels = check.items(item, "levels", where) or []
    if len(raw_levels) == 1:
        check.error(where, "a criterion needs at least 2 levels to choose between")
    for position, raw_level in enumerate(raw_levels, 1):
        level_where = f"{where}, level {position}"
        level = check.keys(raw_level, level_where, LEVEL_KEYS)
        if level is None:
            continue
        points = check.integer(level, "points", level_where, minimum=0)
        descriptor = check.texts(level, "descriptor", level_where)
        if points is not None and levels and points <= levels[-1].points:
            check.error(
                level_where,
                f"levels go from weakest to strongest, so `points` must rise: {points} "
                f"does not exceed {levels[-1].points}",
            )
        if points is not None:
            levels.append(Level(points, descriptor))
    if criterion_id is None:
        return None
    return RubricCriterion(criterion_id, title, tuple(levels))


def _unique(items: list[_Identified | None], kind: str, check: FileChecker) -> list[_Identified]:
    """The items that parsed, reporting any id used twice."""
    seen: dict[str, _Identified] = {}
    for item in items:
        if item is not None and item.id in seen:
            check.error(f"{kind} {item.id}", f"another {kind} has the same id; {kind} ids must be unique")
        elif item is not None:
            seen[item.id] = item
    return list(seen.values())
