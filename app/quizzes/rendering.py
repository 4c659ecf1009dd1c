"""Question definitions as stored: canonical, hashed, rendered to safe HTML once, and parsed once per process.

A question version stores its definition as quiz.yaml writes it (Markdown texts) and the same structure with
every text rendered by ``app.html`` (sanitized). Versions never change once used, so the parsed question
objects are cached by content hash: a busy quiz page parses nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, Protocol

from app.config import LOCALES
from app.html import render_markdown
from app.quizzes.grading import QuestionBase
from app.quizzes.questions import from_courseware, to_courseware

INLINE_KEYS = frozenset({"text", "item", "match"})
"""Texts shown inside a label or list item (options, pairs, items): one paragraph, no <p> around it."""
_ONE_PARAGRAPH = re.compile(r"^<p>((?:(?!<p>).)*)</p>\s*$", re.DOTALL)
_CACHE_LIMIT = 5000
_parsed: dict[str, QuestionBase] = {}


class DefinitionError(ValueError):
    """A definition that does not read as a question; ``problems`` says why (English, for authors)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _is_local_text(value: object) -> bool:
    return (isinstance(value, Mapping) and bool(value) and all(k in LOCALES for k in value)
            and all(isinstance(v, str) for v in value.values()))


def render_text(text: str, *, inline: bool) -> str:
    html = render_markdown(text)
    if inline:
        match = _ONE_PARAGRAPH.match(html)
        if match:
            return match.group(1)
    return html.strip()


def render_definition(definition: Any, key: str = "") -> Any:
    """The definition with every per-locale text rendered to sanitized HTML (answer spellings stay as typed)."""
    if _is_local_text(definition):
        return {locale: render_text(text, inline=key in INLINE_KEYS) for locale, text in definition.items()}
    if isinstance(definition, Mapping):
        return {k: render_definition(v, k) for k, v in definition.items()}
    if isinstance(definition, list):
        return [render_definition(item, key) for item in definition]
    return definition


def canonical(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The definition as quiz.yaml writes it; raises DefinitionError when it is not a valid question."""
    question, problems = from_courseware(definition)
    if question is None:
        raise DefinitionError([str(p) for p in problems if not p.is_warning])
    return to_courseware(question)


def content_hash(definition: Mapping[str, Any]) -> str:
    payload = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def parse_cached(digest: str, definition: Mapping[str, Any], *, flavour: str) -> QuestionBase:
    """The question object of a stored definition; ``flavour`` ("source" or "html") tells the two apart."""
    key = f"{flavour}:{digest}"
    question = _parsed.get(key)
    if question is None:
        question, problems = from_courseware(definition)
        if question is None:
            raise DefinitionError([str(p) for p in problems if not p.is_warning])
        if len(_parsed) >= _CACHE_LIMIT:
            _parsed.clear()
        _parsed[key] = question
    return question


class StoredVersion(Protocol):
    content_hash: str
    definition: dict[str, Any]
    html: dict[str, Any]


def source_question(version: StoredVersion) -> QuestionBase:
    """The question with its Markdown texts: what grading, editing and exports use."""
    return parse_cached(version.content_hash, version.definition, flavour="source")


def html_question(version: StoredVersion) -> QuestionBase:
    """The same question with its texts as sanitized HTML: what pages show."""
    return parse_cached(version.content_hash, version.html, flavour="html")
