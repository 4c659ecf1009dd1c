"""Every item of a course and each learner's status on it, gathered from the features.

Each feature that adds items provides a module (app/progress/reading_items.py,
app/quizzes/completion.py, app/practicum/completion.py) with ``KINDS``,
``items(session, course)`` and ``statuses(session, course, items, user_ids)``. Each provider runs a fixed number
of queries whatever the number of learners, so a page of thousands stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass

from flask import current_app, has_request_context

from app.courseware.models import Course
from app.progress.completion import (
    Item,
    ItemKind,
    ItemStatus,
    ModuleCompletion,
    Rules,
    State,
    module_completion,
    parse_rules,
)

PROVIDERS = ("app.progress.reading_items", "app.quizzes.completion", "app.practicum.completion")


def _providers():
    for name in PROVIDERS:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) and importlib.util.find_spec(name):
            yield importlib.import_module(name)


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    modules: tuple[ModuleCompletion, ...]

    @property
    def complete(self) -> bool:
        return bool(self.modules) and all(m.complete for m in self.modules)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def total(self) -> int:
        return sum(m.total for m in self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def module(self, slug: str) -> ModuleCompletion | None:
        return next((m for m in self.modules if m.module_slug == slug), None)

    @property
    def next_item(self) -> ItemStatus | None:
        """Continue where the learner left off: the first unfinished item, in course order."""
        pending = [s for m in self.modules for s in m.statuses if s.state is not State.DONE]
        started = [s for s in pending if s.state is State.STARTED and s.at]
        if started:
            return max(started, key=lambda s: s.at)
        return pending[0] if pending else None


def course_rules(course: Course) -> Rules:
    return parse_rules(course.completion)[0]


def course_items(session, course: Course) -> list[Item]:
    found: list[Item] = []
    # Items carry their page's address; outside a request (commands, jobs) build it against BASE_URL.
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["BASE_URL"])
    with context:
        for provider in _providers():
            found.extend(provider.items(session, course))
    order = {m.slug: m.position for m in course.modules}
    kinds = list(ItemKind)
    return sorted(found, key=lambda i: (order.get(i.module_slug, 0), kinds.index(i.kind), i.position))


def progress_of(session, course: Course, user_ids: list[int],
                known_items: list[Item] | None = None) -> dict[int, CourseProgress]:
    """Each learner's progress through the course: a few queries per feature, whatever the number of learners."""
    all_items = known_items if known_items is not None else course_items(session, course)
    found: dict = {}
    for provider in _providers():
        mine = [i for i in all_items if i.kind in provider.KINDS]
        found.update(provider.statuses(session, course, mine, user_ids))
    rules = course_rules(course)
    by_module: dict[str, list[Item]] = defaultdict(list)
    for item in all_items:
        by_module[item.module_slug].append(item)
    result = {}
    for user_id in user_ids:
        modules = tuple(
            module_completion(module.slug, [found.get((user_id, i.key), ItemStatus(i, State.NOT_STARTED))
                                            for i in by_module[module.slug]], rules)
            for module in course.modules
        )
        result[user_id] = CourseProgress(course, modules)
    return result
