"""GIFT files in and out of a quiz, for the web and the command line alike.

A GIFT file has one language. Imported in Kazakh (the course's own language) its questions are added to the
quiz. Imported in Russian or English it translates: each question must be one the quiz already has (the same
id, as an export writes it) and its texts in that language are added, everything else kept. Either way the
whole file is checked first and nothing is written when any question is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.accounts.models import User
from app.config import DEFAULT_LOCALE, LOCALES
from app.quizzes import authoring
from app.quizzes.gift import GiftError, parse_gift, to_gift
from app.quizzes.gift_export import GiftExport
from app.quizzes.models import Quiz
from app.quizzes.questions import to_courseware
from app.quizzes.rendering import DefinitionError, canonical, source_question


class ImportRefused(ValueError):
    """The file reads as GIFT but cannot go into this quiz; the message says which question and why."""


@dataclass(frozen=True)
class ImportResult:
    added: int
    translated: int
    warnings: tuple[str, ...]


def _is_texts(value: object) -> bool:
    return isinstance(value, Mapping) and bool(value) and all(k in LOCALES for k in value)


def merge_translation(existing: Any, imported: Any, locale: str) -> Any:
    """``existing`` with the ``locale`` texts of ``imported`` (same question, same shape); raises ValueError."""
    if _is_texts(existing):
        if imported is not None and not _is_texts(imported):
            raise ValueError("different shape")
        found = (imported or {}).get(locale)
        return {**existing, locale: found} if found else dict(existing)
    if isinstance(existing, Mapping):
        imported = imported if isinstance(imported, Mapping) else {}
        return {key: merge_translation(value, imported.get(key), locale) for key, value in existing.items()}
    if isinstance(existing, list):
        if not isinstance(imported, list) or len(imported) != len(existing):
            raise ValueError("different number of options, items or answers")
        return [merge_translation(a, b, locale) for a, b in zip(existing, imported, strict=True)]
    return existing


def import_gift(quiz: Quiz, text: str, locale: str, *, actor: User | None) -> ImportResult:
    """Add (Kazakh) or translate (other languages) the quiz's questions from a GIFT file.

    Raises GiftError (malformed file, with its line) or ImportRefused; the caller rolls back then.
    """
    parsed = parse_gift(text, locale)
    if not parsed.questions:
        raise ImportRefused("the file has no questions")
    if locale == DEFAULT_LOCALE:
        try:
            authoring.add_questions(quiz, parsed.questions, actor=actor)
        except DefinitionError as error:
            raise ImportRefused(str(error)) from None
        return ImportResult(len(parsed.questions), 0, parsed.warnings)
    live = {q.slug: q for q in quiz.live_questions}
    for imported in parsed.questions:
        question = live.get(imported.id)
        if question is None:
            raise ImportRefused(f"question {imported.id}: not in this quiz; import new questions in Kazakh first, "
                                "then their translations")
        current = canonical(question.current.definition)
        wanted = to_courseware(imported)
        if wanted["type"] != current["type"]:
            raise ImportRefused(f"question {imported.id}: it is {current['type']} here, {wanted['type']} in the file")
        try:
            merged = merge_translation(current, {**wanted, "id": current["id"]}, locale)
            authoring.edit_question(question, merged, actor=actor)
        except (ValueError, DefinitionError) as error:
            raise ImportRefused(f"question {imported.id}: {error}") from None
    return ImportResult(0, len(parsed.questions), parsed.warnings)


def export_gift(quiz: Quiz, locale: str) -> GiftExport:
    """The quiz's live questions as a GIFT file in ``locale`` (what GIFT cannot carry is listed as warnings)."""
    return to_gift([source_question(q.current) for q in quiz.live_questions], locale)


def gift_download(exported: GiftExport) -> str:
    """The file a trainer downloads: the warnings first, as GIFT comments that importers skip."""
    if not exported.warnings:
        return exported.text
    notes = "".join(f"// {' '.join(warning.split())}\n" for warning in exported.warnings)
    return f"// Sanaly: what GIFT cannot carry\n{notes}\n{exported.text}"


__all__ = ["GiftError", "ImportRefused", "ImportResult", "export_gift", "gift_download", "import_gift",
           "merge_translation"]
