"""Reading question and quiz mappings from course files, collecting every problem.

An author fixing a quiz wants the whole list of mistakes in one run of `courseware check`, not one per
run, so nothing here raises: each reader records a `Problem` and returns a usable default. Texts are given
per language; Kazakh is required, a missing Russian or English text is only a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.config import DEFAULT_LOCALE, LOCALES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

LocalText = dict[str, str]
"""One text per locale, e.g. ``{"kk": "...", "ru": "...", "en": "..."}``; Kazakh is always present."""


def localized(text: Mapping[str, str], locale: str) -> str:
    """The text in ``locale``, falling back to Kazakh, the course's own language."""
    return text.get(locale) or text.get(DEFAULT_LOCALE, "")


@dataclass(frozen=True)
class Problem:
    """One mistake in a course file: where (question and option), what, and the line when known."""

    where: str
    message: str
    severity: Literal["error", "warning"] = "error"
    line: int | None = None

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


def line_of(data: object, key: object = None) -> int | None:
    """The YAML line of ``key`` in ``data`` when the loader recorded it (courseware's LinedDict)."""
    finder = getattr(data, "line_of", None)
    if key is not None and callable(finder):
        return finder(key)
    return getattr(data, "line", None)


class Fields:
    """One mapping from a course file, read key by key into ``problems``."""

    def __init__(self, data: object, where: str, problems: list[Problem]) -> None:
        self.where = where
        self.problems = problems
        self.is_mapping = isinstance(data, Mapping)
        self.data: Mapping[Any, Any] = data if isinstance(data, Mapping) else {}
        self._source = data
        if not self.is_mapping:
            self.error("must be a mapping of keys to values")

    def error(self, message: str, key: object = None) -> None:
        self.problems.append(Problem(self.where, message, "error", line_of(self._source, key)))

    def warning(self, message: str, key: object = None) -> None:
        self.problems.append(Problem(self.where, message, "warning", line_of(self._source, key)))

    def check_keys(self, allowed: Collection[str], required: Collection[str] = ()) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(f"unknown key {key!r}", key)
        for key in required:
            if key not in self.data:
                self.error(f"missing required field {key!r}")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, *, required: bool = True) -> LocalText:
        """A text per locale: Kazakh required, the other locales warned about when missing."""
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(f"missing required field {key!r}")
            return {}
        if isinstance(value, str):
            value = {DEFAULT_LOCALE: value}  # one text alone is Kazakh, as elsewhere in course files
        if not isinstance(value, Mapping):
            self.error(f"{key} must give a text per language: {{kk: ..., ru: ..., en: ...}}", key)
            return {}
        result: LocalText = {}
        for locale, text in value.items():
            if locale not in LOCALES:
                self.error(f"{key} has unknown language {locale!r} (use kk, ru, en)", key)
            elif isinstance(text, bool) or not isinstance(text, str | int | float):
                self.error(f"{key} in {locale} must be text", key)
            elif str(text).strip():
                result[locale] = str(text).strip()
        self._check_translations(key, result, required=required)
        return result

    def text_lists(self, key: str) -> dict[str, tuple[str, ...]]:
        """Several short texts per locale, e.g. the accepted spellings of a short answer."""
        value = self.data.get(key)
        if value is None:
            self.error(f"missing required field {key!r}")
            return {}
        if not isinstance(value, Mapping):
            self.error(f"{key} must give a list per language: {{kk: [...], ru: [...], en: [...]}}", key)
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for locale, items in value.items():
            if locale not in LOCALES:
                self.error(f"{key} has unknown language {locale!r} (use kk, ru, en)", key)
                continue
            items = [items] if isinstance(items, str | int | float) and not isinstance(items, bool) else items
            if not isinstance(items, list) or not all(
                isinstance(i, str | int | float) and not isinstance(i, bool) and str(i).strip() for i in items
            ):
                self.error(f"{key} in {locale} must be a list of non-empty texts", key)
            elif items:
                result[locale] = tuple(str(i).strip() for i in items)
        self._check_translations(key, result, required=True)
        return result

    def _check_translations(self, key: str, result: Mapping[str, object], *, required: bool) -> None:
        if DEFAULT_LOCALE not in result:
            if required or result:
                self.error(f"{key} missing in {DEFAULT_LOCALE} (Kazakh is required)", key)
            return
        for locale in LOCALES:
            if locale not in result:
                self.warning(f"{key} missing in {locale}", key)

    def number(self, key: str, default: float | None = None, *, low: float | None = None,
               high: float | None = None) -> float | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(f"{key} must be a number", key)
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(f"{key} must be between {low:g} and {high:g}" if low is not None and high is not None
                       else f"{key} must be at least {low:g}" if low is not None
                       else f"{key} must be at most {high:g}", key)
            return default
        return float(value)

    def integer(self, key: str, default: int | None = None, *, low: int = 0) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{key} must be a whole number", key)
            return default
        if value < low:
            self.error(f"{key} must be at least {low}", key)
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(f"{key} must be true or false", key)
            return default
        return value

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if value not in allowed:
            self.error(f"{key} must be one of: {', '.join(allowed)}", key)
            return default
        return str(value)

    def slug(self, key: str, *, required: bool = True) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.error(f"missing required field {key!r}")
            return None
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(f"{key} {value!r} must be a slug: lowercase Latin letters, digits and hyphens", key)
            return None
        return value

    def entries(self, key: str, *, minimum: int = 0) -> list[object]:
        """A list field; its entries are read by the caller, each with its own ``Fields``."""
        value = self.data.get(key)
        if value is None:
            if minimum:
                self.error(f"missing required field {key!r}")
            return []
        if not isinstance(value, list):
            self.error(f"{key} must be a list", key)
            return []
        if len(value) < minimum:
            self.error(f"{key} needs at least {minimum} entries", key)
        return list(value)


def duplicates(values: list[str]) -> list[str]:
    """Values that occur more than once, in first-seen order."""
    seen: set[str] = set()
    repeated: list[str] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated
