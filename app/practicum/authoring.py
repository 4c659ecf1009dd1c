"""What scenario.yaml and assignment.yaml share: texts in three languages, and the problems found in them.

Course authors write these files by hand and are not programmers, so a check reports every mistake at once,
each with the place it is in, instead of stopping at the first. `FileChecker` collects those problems while a
parser walks the plain data that YAML gave; the parsers build their dataclasses only when nothing is wrong.
When the YAML reader recorded line numbers (courseware's does), each problem carries its line as well.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.config import DEFAULT_LOCALE, LOCALES

# A text per language, as course content is stored and as app.i18n.pick() reads it: {"kk": ..., "ru": ...}.
Texts = dict[str, str]

LANGUAGE_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(frozen=True)
class Problem:
    """One mistake in an author's file; `where` names its place ("node n07, choice b") for the author."""

    where: str
    message: str
    line: int | None = None  # when the YAML reader recorded lines (courseware's does), the line to look at

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class FileChecker:
    """Reads fields of an author's file, collecting errors (refuse the file) and warnings (list them only)."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self._lines: dict[str, int] = {}  # place -> line of its mapping, to give later problems a line too

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.errors.append(Problem(where, message, line or self._lines.get(where)))

    def warn(self, where: str, message: str, line: int | None = None) -> None:
        self.warnings.append(Problem(where, message, line or self._lines.get(where)))

    def keys(self, value: Any, where: str, known: tuple[str, ...]) -> Mapping[str, Any] | None:
        """The value if it is a mapping, after reporting each unknown key (a typo, with a guess at it)."""
        if not isinstance(value, Mapping):
            self.error(where, f"expected a set of `key: value` lines, found {_describe(value)}", _line_of(value))
            return None
        if (line := _line_of(value)) is not None:
            self._lines[where] = line
        for key in value:
            if key not in known:
                guess = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean `{guess[0]}`?" if guess else f"; the keys here are: {', '.join(known)}"
                self.error(where, f"unknown key `{key}`{hint}", _line_of(value, key))
        return value

    def texts(self, item: Mapping[str, Any], key: str, where: str) -> Texts:
        """A required text per language; empty after an error, so that checking can go on."""
        if key not in item:
            self.error(where, f"`{key}` is missing")
            return {}
        return self._texts(item[key], key, where, _line_of(item, key))

    def optional_texts(self, item: Mapping[str, Any], key: str, where: str) -> Texts | None:
        return self._texts(item[key], key, where, _line_of(item, key)) if key in item else None

    def _texts(self, value: Any, key: str, where: str, line: int | None) -> Texts:
        """Kazakh is required (an error without it); Russian and English are expected (a warning without)."""
        if not isinstance(value, Mapping):
            self.error(where, f"`{key}` must give the text per language, like `{{kk: ..., ru: ..., en: ...}}`", line)
            return {}
        texts: Texts = {}
        for locale, text in value.items():
            if locale not in LOCALES:
                # In `{kk: a, b}` YAML reads `b` as a key of its own: the comma needs the text in quotes.
                hint = "; a comma in `{...}` ends a text unless it is in quotes" if text is None else ""
                message = f"`{key}` has an unknown language `{locale}`; use {', '.join(LOCALES)}{hint}"
                self.error(where, message, _line_of(value, locale) or line)
            elif not isinstance(text, str):
                message = f"`{key}` in {LANGUAGE_NAMES[locale]} must be text, found {_describe(text)}"
                self.error(where, message, _line_of(value, locale) or line)
            elif text.strip():
                texts[locale] = text
        if DEFAULT_LOCALE not in texts:
            self.error(where, f"`{key}` has no Kazakh text ({DEFAULT_LOCALE}); every text needs one", line)
            return texts
        missing = [LANGUAGE_NAMES[loc] for loc in LOCALES if loc not in texts]
        if missing:
            self.warn(where, f"`{key}` is missing its translation: {', '.join(missing)}", line)
        return texts

    def slug(self, item: Mapping[str, Any], key: str, where: str) -> str | None:
        """A required identifier: lowercase Latin letters, digits and hyphens, stable in URLs and records."""
        if key not in item:
            self.error(where, f"`{key}` is missing")
            return None
        value = item[key]
        if isinstance(value, str) and SLUG.match(value):
            return value
        # YAML reads a bare `no`, `yes`, `on` or `12` as a boolean or a number: a common surprise.
        hint = " (put it in quotes)" if isinstance(value, bool | int | float) else ""
        message = f"`{key}` must be lowercase Latin letters, digits and hyphens, found {_describe(value)}{hint}"
        self.error(where, message, _line_of(item, key))
        return None

    def integer(
        self,
        item: Mapping[str, Any],
        key: str,
        where: str,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """A required whole number within bounds; YAML's true/false are refused though Python counts them."""
        if key not in item:
            self.error(where, f"`{key}` is missing")
            return None
        value = item[key]
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(where, f"`{key}` must be a whole number, found {_describe(value)}", _line_of(item, key))
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
            self.error(where, f"`{key}` must be {bounds}, found {value}", _line_of(item, key))
            return None
        return value

    def items(self, item: Mapping[str, Any], key: str, where: str) -> list[Any] | None:
        """A required non-empty list; None after an error."""
        if key not in item:
            self.error(where, f"`{key}` is missing")
            return None
        value = item[key]
        if not isinstance(value, list) or not value:
            self.error(
                where,
                f"`{key}` must be a list of one or more items (lines starting with `- `), found {_describe(value)}",
                _line_of(item, key),
            )
            return None
        return value


def place(kind: str, raw: Any, position: int) -> str:
    """How to name a list item for the author: by its id if it has a usable one, else by its position."""
    item_id = raw.get("id") if isinstance(raw, Mapping) else None
    return f"{kind} {item_id}" if isinstance(item_id, str) and SLUG.match(item_id) else f"{kind} #{position}"


def _line_of(data: Any, key: Any = None) -> int | None:
    """The line of a mapping, or of one of its keys, if the YAML reader recorded it (read by duck typing)."""
    if key is not None and callable(getattr(data, "line_of", None)):
        return data.line_of(key) or None
    return getattr(data, "line", None) or None


def _describe(value: Any) -> str:
    """A short rendering of a wrong value for a message: the value itself if small, else its kind."""
    if value is None:
        return "nothing"
    if isinstance(value, bool | int | float):
        return f"`{value}`"
    if isinstance(value, str):
        return f"`{value}`" if len(value) <= 40 else "a long text"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return "a set of keys"
