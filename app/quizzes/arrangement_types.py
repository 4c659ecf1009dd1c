"""Questions answered by arranging: matching items to choices, and putting items in order.

Both give partial credit. Matching follows Moodle's matching question: each item matched right earns an equal
share. Ordering has no Moodle core type; it follows the ordering plugin's default rule, "relative to the next
item (excluding the last)": each item followed by its correct successor earns an equal share, so one item
moved to the wrong place costs one or two shares rather than the whole question.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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


def share_right(parts: tuple[Part, ...]) -> float:
    """Equal credit for each part that is right."""
    return clamp_fraction(sum(1 for part in parts if part.correct) / len(parts)) if parts else 0.0


@dataclass(frozen=True, kw_only=True)
class MatchPair:
    """An item and the choice that matches it; a pair without an item is a distractor (an extra choice)."""

    id: str
    item: LocalText
    match: LocalText


@dataclass(frozen=True, kw_only=True)
class Matching(QuestionBase):
    """Match each item to one of the choices; a response maps item ids to choice ids."""

    type_name = "matching"

    pairs: tuple[MatchPair, ...]

    @property
    def items(self) -> tuple[MatchPair, ...]:
        return tuple(p for p in self.pairs if p.item)

    def choices(self) -> tuple[tuple[str, LocalText], ...]:
        """The choices offered, each once: as in Moodle, two items with the same match share one choice."""
        seen: list[LocalText] = []
        offered: list[tuple[str, LocalText]] = []
        for pair in self.pairs:
            if pair.match not in seen:
                seen.append(pair.match)
                offered.append((pair.id, pair.match))
        return tuple(offered)

    def right_choice(self, pair: MatchPair) -> str:
        return next(choice_id for choice_id, text in self.choices() if text == pair.match)

    def validate_response(self, raw: object) -> dict[str, str] | None:
        if is_blank(raw):
            return None
        if not isinstance(raw, Mapping):
            raise InvalidResponse("wrong_shape", "expected a choice for each item")
        items = {p.id for p in self.items}
        choices = {choice_id for choice_id, _ in self.choices()}
        response: dict[str, str] = {}
        for item, choice in raw.items():
            if not isinstance(item, str) or item not in items:
                raise InvalidResponse("unknown_item", f"no item {item!r} in this question")
            if choice is None or (isinstance(choice, str) and not choice.strip()):
                continue
            if not isinstance(choice, str) or choice not in choices:
                raise InvalidResponse("unknown_choice", f"no choice {choice!r} in this question")
            response[item] = choice
        return response or None

    def grade(self, response: Mapping[str, str] | None) -> Grade:
        given = response or {}
        parts = tuple(Part(p.id, given.get(p.id) == self.right_choice(p)) for p in self.items)
        return Grade(share_right(parts), self.points, parts, self._general())

    def correct_response(self) -> dict[str, str]:
        return {p.id: self.right_choice(p) for p in self.items}

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        for pair in self.pairs:
            if pair.item:
                yield f"pair {pair.id} item", pair.item
            yield f"pair {pair.id} match", pair.match


@dataclass(frozen=True, kw_only=True)
class OrderItem:
    id: str
    text: LocalText


@dataclass(frozen=True, kw_only=True)
class Ordering(QuestionBase):
    """Put the items in order; ``items`` are listed in the correct order, a response lists item ids."""

    type_name = "ordering"

    items: tuple[OrderItem, ...]

    def validate_response(self, raw: object) -> tuple[str, ...] | None:
        if is_blank(raw):
            return None
        order = as_id_list(raw)
        if sorted(order) != sorted(item.id for item in self.items):
            raise InvalidResponse("not_an_order", "place every item exactly once")
        return tuple(order)

    def grade(self, response: tuple[str, ...] | None) -> Grade:
        order = list(response or ())
        follower = {order[i]: order[i + 1] for i in range(len(order) - 1)}
        ids = [item.id for item in self.items]
        parts = tuple(Part(f"{a}>{b}", follower.get(a) == b) for a, b in zip(ids, ids[1:], strict=False))
        return Grade(share_right(parts), self.points, parts, self._general())

    def correct_response(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def texts(self) -> Iterator[tuple[str, LocalText]]:
        yield from super().texts()
        for item in self.items:
            yield f"item {item.id}", item.text


# --- reading and writing quiz.yaml -------------------------------------------------------------------------


def read_matching(f: Fields, common: dict[str, Any]) -> Matching:
    pairs: list[MatchPair] = []
    for number, entry in enumerate(f.entries("pairs", minimum=2), start=1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        label = raw_id if isinstance(raw_id, str) else f"p{number}"
        p = Fields(entry, f"{f.where}, pair {label}", f.problems)
        if not p.is_mapping:
            continue
        p.check_keys(("id", "item", "match"))
        pair_id = p.slug("id", required=False) if p.has("id") else None
        item = p.text("item", required=False)
        pairs.append(MatchPair(id=pair_id or label, item=item, match=p.text("match")))
    for repeated in duplicates([p.id for p in pairs]):
        f.error(f"two pairs have the id {repeated!r}", "pairs")
    if len(pairs) >= 2 and sum(1 for p in pairs if p.item) < 2:
        f.error("needs at least two pairs with an item (a pair without an item is only an extra choice)")
    for repeated in duplicates([p.item.get("kk", "") for p in pairs if p.item]):
        f.warning(f"two items read the same in kk: {repeated!r}")
    return Matching(pairs=tuple(pairs), **common)


def write_matching(question: Matching) -> dict[str, Any]:
    pairs = []
    for number, pair in enumerate(question.pairs, start=1):
        entry: dict[str, Any] = {} if pair.id == f"p{number}" else {"id": pair.id}
        if pair.item:
            entry["item"] = dict(pair.item)
        entry["match"] = dict(pair.match)
        pairs.append(entry)
    return {"pairs": pairs}


def read_ordering(f: Fields, common: dict[str, Any]) -> Ordering:
    items: list[OrderItem] = []
    for number, entry in enumerate(f.entries("items", minimum=2), start=1):
        raw_id = entry.get("id") if isinstance(entry, dict) else None
        label = raw_id if isinstance(raw_id, str) else str(number)
        i = Fields(entry, f"{f.where}, item {label}", f.problems)
        if i.is_mapping:
            i.check_keys(("id", "text"))
            items.append(OrderItem(id=i.slug("id") or label, text=i.text("text")))
    for repeated in duplicates([item.id for item in items]):
        f.error(f"two items have the id {repeated!r}", "items")
    return Ordering(items=tuple(items), **common)


def write_ordering(question: Ordering) -> dict[str, Any]:
    return {"items": [{"id": item.id, "text": dict(item.text)} for item in question.items]}
