"""Completion rules: which items a course requires, and when a module and the course are complete.

Pure: items and their statuses come in as values, decisions go out. The items
come from the features (readings, quizzes, the practicum) through providers in
app/progress/items.py; the rules come from course.yaml's ``completion`` section.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class ItemKind(enum.StrEnum):
    READING = "reading"
    QUIZ = "quiz"
    SCENARIO = "scenario"
    ASSIGNMENT = "assignment"


class State(enum.StrEnum):
    NOT_STARTED = "not_started"
    STARTED = "started"          # opened, attempted below the mark, played without finishing
    AWAITING = "awaiting"        # waiting for a trainer (essay, assignment)
    RETURNED = "returned"        # sent back for revision
    DONE = "done"


# What "done" means per kind, and the other choices an author may make in course.yaml.
RULE_CHOICES: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.READING: ("read", "optional"),
    ItemKind.QUIZ: ("passed", "submitted", "optional"),
    ItemKind.SCENARIO: ("passed", "finished", "optional"),
    ItemKind.ASSIGNMENT: ("accepted", "submitted", "optional"),
}
DEFAULT_RULES: dict[ItemKind, str] = {
    ItemKind.READING: "read", ItemKind.QUIZ: "passed", ItemKind.SCENARIO: "passed", ItemKind.ASSIGNMENT: "accepted",
}
RULE_KEYS = {"readings": ItemKind.READING, "quizzes": ItemKind.QUIZ, "scenarios": ItemKind.SCENARIO,
             "assignments": ItemKind.ASSIGNMENT}


@dataclass(frozen=True)
class Item:
    """One thing a learner does in a module, named by stable slugs."""

    kind: ItemKind
    module_slug: str
    slug: str
    title: Mapping[str, str]
    position: int = 0
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.module_slug}:{self.slug}"


@dataclass(frozen=True)
class Evidence:
    """The record that shows an item's state: a reading progress row, an attempt, a playthrough, a submission."""

    kind: str
    id: int
    at: datetime | None = None
    score: float | None = None     # percent, where the item has one
    passed: bool | None = None
    submitted: bool = False


@dataclass(frozen=True)
class ItemStatus:
    item: Item
    state: State
    evidence: Evidence | None = None

    @property
    def score(self) -> float | None:
        return self.evidence.score if self.evidence else None

    @property
    def at(self) -> datetime | None:
        return self.evidence.at if self.evidence else None


@dataclass(frozen=True)
class Rules:
    per_kind: Mapping[ItemKind, str] = field(default_factory=lambda: dict(DEFAULT_RULES))

    def required(self, item: Item) -> bool:
        return self.per_kind.get(item.kind, "optional") != "optional"

    def satisfied(self, status: ItemStatus) -> bool:
        """Whether the item counts as complete under these rules."""
        rule = self.per_kind.get(status.item.kind, "optional")
        evidence = status.evidence
        if rule in ("passed", "accepted", "read"):
            return status.state is State.DONE
        if rule in ("submitted", "finished"):
            return status.state is State.DONE or (evidence is not None and evidence.submitted)
        return True


def parse_rules(data: Any) -> tuple[Rules, list[str]]:
    """Rules from course.yaml's ``completion`` mapping; problems as messages (empty when fine)."""
    if data is None:
        return Rules(), []
    if not isinstance(data, Mapping):
        return Rules(), ["completion must map readings/quizzes/scenarios/assignments to a rule"]
    rules = dict(DEFAULT_RULES)
    problems = []
    for key, value in data.items():
        kind = RULE_KEYS.get(key)
        if kind is None:
            problems.append(f"unknown key {key!r} in completion (use {', '.join(RULE_KEYS)})")
        elif value not in RULE_CHOICES[kind]:
            problems.append(f"completion.{key} must be one of {', '.join(RULE_CHOICES[kind])}")
        else:
            rules[kind] = value
    return Rules(rules), problems


@dataclass(frozen=True)
class ModuleCompletion:
    module_slug: str
    statuses: tuple[ItemStatus, ...]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def remaining(self) -> tuple[ItemStatus, ...]:
        return tuple(s for s in self.statuses if s.state is not State.DONE)


def module_completion(module_slug: str, statuses: Iterable[ItemStatus], rules: Rules) -> ModuleCompletion:
    required = tuple(s for s in statuses if rules.required(s.item))
    done = sum(1 for s in required if rules.satisfied(s))
    return ModuleCompletion(module_slug, required, done, len(required))


def course_complete(modules: Iterable[ModuleCompletion]) -> bool:
    modules = list(modules)
    return bool(modules) and all(m.complete for m in modules)


def completed_at(modules: Iterable[ModuleCompletion]) -> datetime | None:
    """When the last required item was done: the course's completion date."""
    times = [s.at for m in modules for s in m.statuses if s.at is not None]
    return max(times) if times else None
