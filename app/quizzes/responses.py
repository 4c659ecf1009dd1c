"""A learner's answers between the form and the grader.

A page of an attempt posts plain form fields; ``raw_from_form`` keeps what was typed or picked for one question
as JSON-friendly data (saved as it is, so nothing typed is ever lost), and ``response_of`` turns saved data into
the clean response a question grades, or says why it cannot. Field names are ``q<slot>`` and, for matching and
ordering, ``q<slot>-<item id>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from app.quizzes.grading import InvalidResponse, QuestionBase, is_blank

MAX_RAW_LENGTH = 20_000
"""Longest text kept from one field: a long essay fits, a flood does not."""


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def field_name(slot: int, part: str | None = None) -> str:
    return f"q{slot}" if part is None else f"q{slot}-{part}"


def _text(value: object) -> str:
    return value[:MAX_RAW_LENGTH] if isinstance(value, str) else ""


def raw_from_form(question: QuestionBase, slot: int, form: FormData) -> Any:
    """What the form sent for one question, as saved data (blank when nothing was given)."""
    name = field_name(slot)
    kind = question.type_name
    if kind == "description":
        return None
    if kind == "multiple":
        return [_text(v) for v in form.getlist(name)][:100]
    if kind in ("matching", "ordering"):
        return {item.id: _text(form.get(field_name(slot, item.id), "")) for item in question.items}  # type: ignore[attr-defined]
    return _text(form.get(name, ""))


def is_answered(raw: Any) -> bool:
    if isinstance(raw, Mapping):
        return any(not is_blank(value) for value in raw.values())
    return not is_blank(raw)


def _order_from_positions(question: QuestionBase, raw: Mapping[str, Any]) -> list[str]:
    """Ordering is answered with a position number per item; the response lists the items by position."""
    ids = [item.id for item in question.items]  # type: ignore[attr-defined]
    try:
        positions = {item: int(str(raw.get(item, "")).strip()) for item in ids}
    except ValueError:
        raise InvalidResponse("not_an_order", "place every item exactly once") from None
    if sorted(positions.values()) != list(range(1, len(ids) + 1)):
        raise InvalidResponse("not_an_order", "place every item exactly once")
    return sorted(ids, key=positions.__getitem__)


def response_of(question: QuestionBase, raw: Any) -> Any:
    """The clean response to grade, None when unanswered; raises InvalidResponse when it cannot count."""
    if not is_answered(raw):
        return None
    if question.type_name == "ordering":
        if not isinstance(raw, Mapping):
            raise InvalidResponse("not_an_order", "place every item exactly once")
        return question.validate_response(_order_from_positions(question, raw))
    return question.validate_response(raw)


def safe_response(question: QuestionBase, raw: Any) -> tuple[Any, str | None]:
    """The response and no error, or None and the error code: an answer that cannot count counts as none."""
    try:
        return response_of(question, raw), None
    except InvalidResponse as error:
        return None, error.code


def raw_of_response(question: QuestionBase, response: Any) -> Any:
    """Saved data that means ``response`` (the inverse of ``response_of``), e.g. to show a correct answer."""
    if response is None:
        return None
    kind = question.type_name
    if kind == "ordering":
        return {item: str(position) for position, item in enumerate(response, start=1)}
    if kind == "truefalse":
        return "true" if response else "false"
    if kind == "multiple":
        return list(response)
    if kind == "numeric":
        return f"{response:g}"
    return response
